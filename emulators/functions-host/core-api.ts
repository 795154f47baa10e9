import Module from 'node:module';
import type { FunctionHandler, FunctionMetadata, FunctionRegistry } from './registry';

const CORE_MODULE = '@azure/functions-core';

class Disposable {
  constructor(private readonly callback: () => void) {}
  static from(...disposables: Disposable[]): Disposable {
    return new Disposable(() => disposables.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.callback();
  }
}

type ModuleLoad = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleWithLoad = Module as unknown as { _load: ModuleLoad };

let installedRegistry: FunctionRegistry | undefined;

/**
 * Provides the module the Azure Functions worker provides in Azure. Without it `@azure/functions`
 * switches to "test mode" and silently drops every registration. It is required lazily on the first
 * `app.*` call, so this must be installed before the app's entry files are loaded.
 */
export function installFunctionsCoreApi(registry: FunctionRegistry): void {
  if (installedRegistry) {
    if (installedRegistry !== registry)
      throw new Error('The Functions core API is already bound to another registry.');
    return;
  }
  installedRegistry = registry;
  const coreApi = {
    version: '4.local',
    hostVersion: '4.local',
    setProgrammingModel(_model: unknown) {},
    getProgrammingModel() {
      return undefined;
    },
    registerFunction(metadata: FunctionMetadata, handler: FunctionHandler) {
      registry.register(metadata, handler);
      return new Disposable(() => registry.unregister(metadata.name));
    },
    registerHook(name: string, callback: (context: unknown) => unknown) {
      return new Disposable(registry.addHook(name, callback));
    },
    log(level: string, category: string, message: string) {
      if (category === 'system' && (level === 'warning' || level === 'error'))
        console.warn(`[functions] ${message}`);
    },
    Disposable,
  };
  const originalLoad = moduleWithLoad._load;
  moduleWithLoad._load = function load(request, parent, isMain) {
    if (request === CORE_MODULE) return coreApi;
    return originalLoad.call(this, request, parent, isMain);
  };
}
