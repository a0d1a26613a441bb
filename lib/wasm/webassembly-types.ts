/**
 * The part of the WebAssembly JavaScript API the C path uses, as Node 20
 * provides it. TypeScript declares the namespace only in lib.dom, which this
 * project does not load (it would bring every browser global with it).
 */
export {};

declare global {
  namespace WebAssembly {
    type Exports = Record<string, unknown>;
    type Imports = Record<string, Record<string, unknown>>;
    interface ModuleImportDescriptor { module: string; name: string; kind: 'function' | 'table' | 'memory' | 'global' }
    interface ModuleExportDescriptor { name: string; kind: 'function' | 'table' | 'memory' | 'global' }
    class Module {
      constructor(bytes: Uint8Array);
      static imports(module: Module): ModuleImportDescriptor[];
      static exports(module: Module): ModuleExportDescriptor[];
    }
    class Instance {
      constructor(module: Module, imports?: Imports);
      readonly exports: Exports;
    }
    class Memory {
      constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
      readonly buffer: ArrayBuffer | SharedArrayBuffer;
      grow(pages: number): number;
    }
    class Global {
      value: number | bigint;
    }
    class Table {
      readonly length: number;
      get(index: number): unknown;
    }
    class RuntimeError extends Error {}
    class LinkError extends Error {}
    class CompileError extends Error {}
  }
}
