import type { SignalRGroupAction, SignalRHub, SignalRMessage } from '../../signalr';
import { resolveAppSettings, resolveBindingExpression } from '../expressions';
import type { InputBindingProvider, OutputBindingProvider } from '../invoke';

/** `signalRConnectionInfo` input: what Azure SignalR Service would hand the negotiate function. */
export function signalRConnectionInfoInput(
  hub: SignalRHub,
  env: Record<string, string | undefined>,
): InputBindingProvider {
  return {
    resolve(binding, sources) {
      const userId = resolveBindingExpression(binding.userId, sources.expressionData);
      return hub.connectionInfo(hubNameOf(binding, env), userId);
    },
  };
}

/** `signalR` output: messages and group actions, one item or an array. */
export function signalROutput(
  hub: SignalRHub,
  env: Record<string, string | undefined>,
): OutputBindingProvider {
  return {
    deliver(binding, value) {
      const items = Array.isArray(value) ? value : [value];
      const hubName = hubNameOf(binding, env);
      for (const item of items) hub.apply(hubName, item as SignalRMessage | SignalRGroupAction);
    },
  };
}

/** The extension resolves `%Setting%` in hubName from app settings, so an app can name its hub in config. */
function hubNameOf(binding: Record<string, unknown>, env: Record<string, string | undefined>): string {
  return resolveAppSettings(String(binding.hubName ?? ''), env);
}
