import { randomUUID } from 'node:crypto';
import {
  InvocationContext,
  type FunctionInput,
  type FunctionOutput,
  type FunctionTrigger,
} from '@azure/functions';
import {
  extraInputsOf,
  outputsOf,
  triggerOf,
  type BindingMetadata,
  type RegisteredFunction,
} from './registry';

export type Binding = BindingMetadata & { name: string };

/** What an input or output binding may use to resolve itself: the trigger's data and binding-expression sources. */
export interface InvocationSources {
  functionName: string;
  triggerValue: unknown;
  /** `{headers.x}`, `{query.x}` and trigger-payload values for binding expressions. */
  expressionData: Record<string, unknown>;
}

export interface InputBindingProvider {
  resolve(binding: Binding, sources: InvocationSources): unknown | Promise<unknown>;
}

export interface OutputBindingProvider {
  deliver(binding: Binding, value: unknown, sources: InvocationSources): void | Promise<void>;
}

export interface BindingProviders {
  inputs: Map<string, InputBindingProvider>;
  outputs: Map<string, OutputBindingProvider>;
}

export interface InvocationResult {
  returnValue: unknown;
  /** The value of the function's `http` output binding (return or extra), for HTTP triggers. */
  httpResponse: unknown;
  invocationId: string;
}

export type InvocationLogger = (
  functionName: string,
  invocationId: string,
  level: string,
  message: string,
) => void;

/**
 * Invokes a registered function as the Node worker does: an InvocationContext built from the function's
 * binding metadata, extra inputs resolved before the call, extra outputs delivered after it.
 * Output bindings other than `http` are delivered only when the handler succeeds, as in Azure.
 */
export async function invokeFunction(
  fn: RegisteredFunction,
  triggerValue: unknown,
  options: {
    providers: BindingProviders;
    expressionData?: Record<string, unknown>;
    triggerMetadata?: Record<string, unknown>;
    log: InvocationLogger;
  },
): Promise<InvocationResult> {
  const invocationId = randomUUID();
  const trigger = triggerOf(fn);
  const inputs = extraInputsOf(fn);
  const outputs = outputsOf(fn);
  const returnBinding = outputs.find((output) => output.isReturn);
  const context = new InvocationContext({
    invocationId,
    functionName: fn.name,
    triggerMetadata: options.triggerMetadata ?? {},
    logHandler: (level, ...args) => options.log(fn.name, invocationId, level, args.map(String).join(' ')),
    options: {
      trigger: trigger as unknown as FunctionTrigger,
      extraInputs: inputs as unknown as FunctionInput[],
      extraOutputs: outputs.filter((o) => !o.isReturn) as unknown as FunctionOutput[],
      ...(returnBinding && { return: returnBinding as unknown as FunctionOutput }),
    },
  });
  const sources: InvocationSources = {
    functionName: fn.name,
    triggerValue,
    expressionData: options.expressionData ?? {},
  };
  for (const input of inputs) {
    context.extraInputs.set(
      input.name,
      await providerFor(options.providers.inputs, input).resolve(input, sources),
    );
  }
  const returnValue = await fn.handler(triggerValue, context);
  let httpResponse: unknown;
  for (const output of outputs) {
    const value = output.isReturn ? returnValue : context.extraOutputs.get(output.name);
    if (output.type === 'http') httpResponse ??= value;
    if (output.type === 'http' || value === undefined) continue;
    await providerFor(options.providers.outputs, output).deliver(output, value, sources);
  }
  return { returnValue, httpResponse, invocationId };
}

function providerFor<T>(providers: Map<string, T>, binding: Binding): T {
  const provider = providers.get(binding.type);
  if (!provider) {
    throw new Error(
      `The local host does not support "${binding.type}" bindings (binding "${binding.name}").`,
    );
  }
  return provider;
}

export function unsupportedBindings(
  fn: RegisteredFunction,
  providers: BindingProviders,
  triggers: Set<string>,
) {
  const problems: string[] = [];
  const trigger = triggerOf(fn);
  if (!triggers.has(trigger.type)) problems.push(`trigger type "${trigger.type}"`);
  for (const input of extraInputsOf(fn))
    if (!providers.inputs.has(input.type)) problems.push(`input "${input.type}"`);
  for (const output of outputsOf(fn)) {
    if (output.type !== 'http' && !providers.outputs.has(output.type))
      problems.push(`output "${output.type}"`);
  }
  return problems;
}
