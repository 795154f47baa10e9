import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, contosoWorkspace } from '../support/api';

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Array<{
    ruleId: string;
    severity: string;
    message: string;
    location: Array<{ pointer: string }>;
  }>;
}

interface ProblemContent {
  schema: { $ref: string };
  examples: Record<string, { value: Record<string, unknown> }>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is walked field by field
let document: any;

beforeAll(async () => {
  const served = await api('GET', '/openapi.json');
  expect(served.status).toBe(200);
  document = served.body;
});

/** Redocly's CLI, as a user runs it (`npx @redocly/cli lint`), with only its recommended ruleset. */
async function redoclyLint(file: string): Promise<LintReport> {
  const cli = path.join(
    path.dirname(createRequire(__filename).resolve('@redocly/cli/package.json')),
    'bin/cli.js',
  );
  const run = promisify(execFile);
  const result = await run(
    process.execPath,
    [cli, 'lint', file, '--extends=recommended', '--format=json'],
    // Its own folder: no redocly.yaml of the repo (or anywhere) can relax the rules.
    {
      cwd: path.dirname(file),
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  ).catch((error: { stdout?: string; stderr?: string }) => {
    if (!error.stdout) throw new Error(`redocly lint did not run: ${error.stderr}`);
    return { stdout: error.stdout };
  });
  return JSON.parse(result.stdout) as LintReport;
}

describe('the API document (/api/openapi.json)', () => {
  it("lints clean under Redocly's recommended rules: no error, no warning", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'openapi-lint-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const report = await redoclyLint(file);
    const problems = report.problems.map(
      (p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`,
    );
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it('describes every problem code, and every error response is problem+json with an example of each code', () => {
    const problem = document.components.schemas.Problem;
    const codes: string[] = problem.properties.code.enum;
    for (const code of codes) expect(problem.description).toContain(`\`${code}\``);
    let errorResponses = 0;
    for (const [route, methods] of Object.entries<Record<string, { responses: Record<string, unknown> }>>(
      document.paths,
    )) {
      for (const [method, operation] of Object.entries(methods)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400 || (route === '/health' && status === '503')) continue;
          errorResponses++;
          const content = (response as { content: Record<string, ProblemContent> }).content[
            'application/problem+json'
          ];
          expect(content, `${method} ${route} ${status}`).toBeDefined();
          expect(content!.schema.$ref).toBe('#/components/schemas/Problem');
          const examples = Object.values(content!.examples);
          expect(examples.length, `${method} ${route} ${status}`).toBeGreaterThan(0);
          for (const { value } of examples) {
            expect(value.status).toBe(Number(status));
            expect(codes).toContain(value.code);
          }
        }
      }
    }
    expect(errorResponses).toBeGreaterThan(100);
  });

  it('answers errors exactly as the document describes them (type, title, status per code)', async () => {
    const { id: workspaceId, tenants } = contosoWorkspace();
    const examples = new Map<string, Record<string, unknown>>();
    for (const methods of Object.values<
      Record<string, { responses: Record<string, { content?: Record<string, ProblemContent> }> }>
    >(document.paths)) {
      for (const operation of Object.values(methods)) {
        for (const response of Object.values(operation.responses)) {
          for (const example of Object.values(
            response.content?.['application/problem+json']?.examples ?? {},
          )) {
            examples.set(String(example.value.code), example.value);
          }
        }
      }
    }
    const answers = [
      await api('GET', '/workspaces'),
      await api('GET', `/operations/00000000-0000-4000-8000-000000000000`, { as: 'alice' }),
      await api('POST', `/workspaces/${workspaceId}/tenants/${tenants[0]!.id}/operations`, {
        as: 'rita',
        body: { type: 'provider.health_check' },
      }),
      await api('POST', `/workspaces/${workspaceId}/tenants/${tenants[0]!.id}/operations`, {
        as: 'olga',
        body: { type: 'no.such_type' },
      }),
    ];
    expect(answers.map((a) => a.body.code)).toEqual([
      'unauthenticated',
      'not_found',
      'forbidden',
      'validation_failed',
    ]);
    for (const answer of answers) {
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      const described = examples.get(answer.body.code)!;
      expect(answer.status).toBe(described.status);
      expect({ type: answer.body.type, title: answer.body.title }).toEqual({
        type: described.type,
        title: described.title,
      });
    }
  });

  it('carries an ETag, and answers 304 without a body while the client holds the current document', async () => {
    const first = await api('GET', '/openapi.json');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await api('GET', '/openapi.json');
    expect({ etag: again.headers.get('etag'), text: again.text }).toEqual({ etag, text: first.text });

    for (const ifNoneMatch of [etag!, `W/${etag}`, `"stale", ${etag}`, '*']) {
      const notModified = await api('GET', '/openapi.json', { headers: { 'if-none-match': ifNoneMatch } });
      expect({
        status: notModified.status,
        text: notModified.text,
        etag: notModified.headers.get('etag'),
      }).toEqual({ status: 304, text: '', etag });
    }
    const stale = await api('GET', '/openapi.json', { headers: { 'if-none-match': '"stale"' } });
    expect({ status: stale.status, text: stale.text }).toEqual({ status: 200, text: first.text });
  });
});
