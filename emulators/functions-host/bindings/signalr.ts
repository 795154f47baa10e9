import type { SignalRGroupAction, SignalRHub, SignalRMessage } from '../../signalr';
import { resolveBindingExpression } from '../expressions';
import type { InputBindingProvider, OutputBindingProvider } from '../invoke';

/** `signalRConnectionInfo` input: what Azure SignalR Service would hand the negotiate function. */
export function signalRConnectionInfoInput(hub: SignalRHub): InputBindingProvider {
  return {
    resolve(binding, sources) {
      const userId = resolveBindingExpression(binding.userId, sources.expressionData);
      return hub.connectionInfo(String(binding.hubName ?? ''), userId);
    },
  };
}

/** `signalR` output: messages and group actions, one item or an array. */
export function signalROutput(hub: SignalRHub): OutputBindingProvider {
  return {
    deliver(binding, value) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items)
        hub.apply(String(binding.hubName ?? ''), item as SignalRMessage | SignalRGroupAction);
    },
  };
}
