import { readFileSync } from 'node:fs';
import path from 'node:path';

export const DEPLOY_GUIDE = path.resolve(__dirname, '../../docs/deploy.md');

export function readGuide(): string {
  return readFileSync(DEPLOY_GUIDE, 'utf8');
}

/** The rows (header first, separator dropped) of the first Markdown table in `text`. */
export function firstTable(text: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim().startsWith('|'));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (!line.trim().startsWith('|')) break;
    const cells = line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim());
    if (cells.every((cell) => /^:?-+:?$/.test(cell))) continue;
    rows.push(cells);
  }
  return rows;
}

/** The first table of the section under a `## heading`. */
export function sectionTable(markdown: string, heading: string): string[][] {
  const match = new RegExp(`^#+ ${heading}\\s*$`, 'm').exec(markdown);
  if (!match) throw new Error(`docs/deploy.md has no section "${heading}"`);
  const rest = markdown.slice(match.index + match[0].length);
  const next = /^#+ /m.exec(rest);
  return firstTable(next ? rest.slice(0, next.index) : rest);
}

/** The names written as `code` in a cell. */
export function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}
