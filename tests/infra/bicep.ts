import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Just enough of Bicep's syntax to check the hand-written templates without a Bicep compiler (none
 * installs offline): comments and string contents are masked, interpolations stay code.
 */

export const INFRA_DIR = path.resolve(__dirname, '../../infra');

export interface BicepFile {
  file: string;
  source: string;
  /** The source with comments and string literal contents replaced by spaces (positions unchanged). */
  code: string;
}

export function readBicep(file: string): BicepFile {
  const source = readFileSync(file, 'utf8');
  return { file, source, code: maskBicep(source) };
}

export function infraBicepFiles(): BicepFile[] {
  const modules = readdirSync(path.join(INFRA_DIR, 'modules'))
    .filter((f) => f.endsWith('.bicep'))
    .map((f) => path.join(INFRA_DIR, 'modules', f));
  return [path.join(INFRA_DIR, 'main.bicep'), ...modules].map(readBicep);
}

export function maskBicep(source: string): string {
  const out = source.split('');
  const mask = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  // Brace depth inside each open string interpolation `${…}`, innermost last.
  const interpolations: number[] = [];
  let inString = false;
  let i = 0;
  while (i < source.length) {
    const innermost = interpolations.length - 1;
    if (inString) {
      const step = source[i] === '\\' || source.startsWith('${', i) ? 2 : 1;
      if (source[i] === "'") inString = false;
      else if (source.startsWith('${', i)) {
        inString = false;
        interpolations.push(0);
      }
      mask(i, i + step);
      i += step;
    } else if (source.startsWith('//', i) || source.startsWith('/*', i) || source.startsWith("'''", i)) {
      const [close, width] = source.startsWith('//', i)
        ? ['\n', 0]
        : source.startsWith('/*', i)
          ? ['*/', 2]
          : ["'''", 3];
      const found = source.indexOf(close, i + 2);
      const end = found < 0 ? source.length : found + width;
      mask(i, end);
      i = end;
    } else if (source[i] === "'") {
      inString = true;
      mask(i, i + 1);
      i += 1;
    } else if (source[i] === '{' && innermost >= 0) {
      interpolations[innermost]! += 1;
      i += 1;
    } else if (source[i] === '}' && innermost >= 0) {
      // Either a brace inside the interpolation, or its end: back into the string.
      if (interpolations[innermost] === 0) {
        interpolations.pop();
        inString = true;
        mask(i, i + 1);
      } else interpolations[innermost]! -= 1;
      i += 1;
    } else i += 1;
  }
  return out.join('');
}

/** Line (1-based) of a position, for messages. */
export function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Unbalanced or mismatched brackets, as messages. */
export function bracketProblems(bicep: BicepFile): string[] {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: Array<{ char: string; index: number }> = [];
  const problems: string[] = [];
  for (let i = 0; i < bicep.code.length; i++) {
    const char = bicep.code[i]!;
    if (char === '(' || char === '[' || char === '{') stack.push({ char, index: i });
    else if (char in pairs) {
      const open = stack.pop();
      if (!open || open.char !== pairs[char]) {
        problems.push(`${bicep.file}:${lineOf(bicep.code, i)}: unexpected '${char}'`);
        if (open) stack.push(open);
      }
    }
  }
  for (const open of stack)
    problems.push(`${bicep.file}:${lineOf(bicep.code, open.index)}: '${open.char}' never closed`);
  return problems;
}

/** Index of the bracket closing the one at `open`. */
export function closingIndex(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const char = code[i];
    if (char === '{' || char === '[' || char === '(') depth += 1;
    else if (char === '}' || char === ']' || char === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new Error(`unclosed bracket at ${open}`);
}

/** The top-level keys of the object literal whose `{` is at `open`, with their value expressions. */
export function objectEntries(bicep: BicepFile, open: number): Map<string, string> {
  const close = closingIndex(bicep.code, open);
  const entries = new Map<string, string>();
  let depth = 0;
  let keyStart = true;
  for (let i = open + 1; i < close; i++) {
    const char = bicep.code[i]!;
    if ('{[('.includes(char)) depth += 1;
    else if ('}])'.includes(char)) depth -= 1;
    if (depth !== 0) continue;
    if (char === '\n' || char === ',') {
      keyStart = true;
      continue;
    }
    // Quoted keys are masked like any string, so their opening quote is looked up in the source.
    const isQuote = bicep.source[i] === "'";
    if (!keyStart || (/\s/.test(char) && !isQuote)) continue;
    keyStart = false;
    const match = /^(?:([A-Za-z_]\w*)|'([^'\n]*)')\s*:/.exec(bicep.source.slice(i, close));
    if (!match) continue;
    const valueStart = i + match[0].length;
    let end = valueStart;
    let valueDepth = 0;
    while (end < close) {
      const c = bicep.code[end]!;
      if ('{[('.includes(c)) valueDepth += 1;
      else if ('}])'.includes(c)) valueDepth -= 1;
      else if (valueDepth === 0 && (c === '\n' || c === ',')) break;
      end += 1;
    }
    entries.set(match[1] ?? match[2]!, bicep.source.slice(valueStart, end).trim());
    i = end - 1;
  }
  return entries;
}

export interface ParamDeclaration {
  name: string;
  /** Position of the name in the declaration. */
  nameIndex: number;
  hasDefault: boolean;
  index: number;
  /** The decorators just above it, as written. */
  decorators: string;
}

export function params(bicep: BicepFile): ParamDeclaration[] {
  return [...bicep.code.matchAll(/^(param\s+)(\w+)\s+[\w.]+(\s*=)?/gm)].map((m) => {
    const before = bicep.source.slice(0, m.index).split('\n');
    const decorators: string[] = [];
    for (let k = before.length - 2; k >= 0 && /^\s*(@|\)|\})/.test(before[k]!); k--)
      decorators.unshift(before[k]!);
    return {
      name: m[2]!,
      nameIndex: m.index + m[1]!.length,
      hasDefault: Boolean(m[3]),
      index: m.index,
      decorators: decorators.join('\n'),
    };
  });
}

export function outputs(bicep: BicepFile): string[] {
  return [...bicep.code.matchAll(/^output\s+(\w+)\s/gm)].map((m) => m[1]!);
}

export interface ModuleDeclaration {
  symbol: string;
  path: string;
  /** Keys of its `params` object. */
  params: string[];
  index: number;
}

export function modules(bicep: BicepFile): ModuleDeclaration[] {
  return [...bicep.source.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=\s*\{/gm)].map((m) => {
    const open = m.index + m[0].length - 1;
    const body = objectEntries(bicep, open);
    const paramsAt = body.has('params') ? bicep.code.indexOf('params', open) : -1;
    const paramsOpen = paramsAt < 0 ? -1 : bicep.code.indexOf('{', paramsAt);
    return {
      symbol: m[1]!,
      path: m[2]!,
      params: paramsOpen < 0 ? [] : [...objectEntries(bicep, paramsOpen).keys()],
      index: m.index,
    };
  });
}

export interface ResourceDeclaration {
  symbol: string;
  type: string;
  apiVersion: string;
  existing: boolean;
  /** Index of the `{` (or `[` of a loop) that opens its body. */
  bodyIndex: number;
}

export function resources(bicep: BicepFile): ResourceDeclaration[] {
  return [
    ...bicep.source.matchAll(/^resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s+(existing\s+)?=\s*([{[])/gm),
  ].map((m) => ({
    symbol: m[1]!,
    type: m[2]!,
    apiVersion: m[3]!,
    existing: Boolean(m[4]),
    bodyIndex: m.index + m[0].length - 1,
  }));
}

/** Whether an identifier is used anywhere but at `declaredAt` and as an object key (`name: …`). */
export function isReferenced(bicep: BicepFile, name: string, declaredAt: number): boolean {
  for (const m of bicep.code.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) {
    if (m.index === declaredAt) continue;
    const isKey =
      /(^|[{,\n])\s*$/.test(bicep.code.slice(Math.max(0, m.index - 200), m.index)) &&
      /^\s*:/.test(bicep.code.slice(m.index + name.length));
    if (!isKey) return true;
  }
  return false;
}
