/** A binding as the Functions worker receives it in function metadata. */
export interface BindingMetadata {
  type: string;
  direction: 'in' | 'out';
  name?: string;
  [property: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, BindingMetadata>;
  retryOptions?: unknown;
}

// The handler signature is the app's; the host only passes a trigger value and a context.
export type FunctionHandler = (triggerValue: unknown, context: unknown) => unknown;

export interface RegisteredFunction {
  name: string;
  metadata: FunctionMetadata;
  handler: FunctionHandler;
  /** The file whose loading registered it. */
  sourceFile: string | undefined;
}

export const RETURN_BINDING = '$return';

/**
 * Everything the app registered through `@azure/functions`: the local host's only source of truth
 * about functions (there is no parallel list).
 */
export class FunctionRegistry {
  private readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<string, Array<(context: unknown) => unknown>>();
  currentSourceFile: string | undefined;

  register(metadata: FunctionMetadata, handler: FunctionHandler): void {
    const key = metadata.name.toLowerCase();
    if (this.functions.has(key))
      throw new Error(`A function named "${metadata.name}" is already registered.`);
    this.functions.set(key, { name: metadata.name, metadata, handler, sourceFile: this.currentSourceFile });
  }

  unregister(name: string): void {
    this.functions.delete(name.toLowerCase());
  }

  /** Function names are case-insensitive in Azure. */
  get(name: string): RegisteredFunction | undefined {
    return this.functions.get(name.toLowerCase());
  }

  all(): RegisteredFunction[] {
    return [...this.functions.values()];
  }

  byTriggerType(type: string): RegisteredFunction[] {
    return this.all().filter((fn) => triggerOf(fn).type === type);
  }

  addHook(name: string, callback: (context: unknown) => unknown): () => void {
    const list = this.hooks.get(name) ?? [];
    list.push(callback);
    this.hooks.set(name, list);
    return () => list.splice(list.indexOf(callback), 1);
  }
}

export function triggerOf(fn: RegisteredFunction): BindingMetadata & { name: string } {
  const entry = Object.entries(fn.metadata.bindings).find(
    ([, binding]) => binding.direction === 'in' && binding.type.endsWith('Trigger'),
  );
  if (!entry) throw new Error(`Function "${fn.name}" has no trigger binding.`);
  return { ...entry[1], name: entry[1].name ?? entry[0] };
}

export function extraInputsOf(fn: RegisteredFunction): Array<BindingMetadata & { name: string }> {
  return Object.entries(fn.metadata.bindings)
    .filter(([, binding]) => binding.direction === 'in' && !binding.type.endsWith('Trigger'))
    .map(([key, binding]) => ({ ...binding, name: binding.name ?? key }));
}

export function outputsOf(
  fn: RegisteredFunction,
): Array<BindingMetadata & { name: string; isReturn: boolean }> {
  return Object.entries(fn.metadata.bindings)
    .filter(([, binding]) => binding.direction === 'out')
    .map(([key, binding]) => ({ ...binding, name: binding.name ?? key, isReturn: key === RETURN_BINDING }));
}
