import { createHash } from 'node:crypto';
import { buildOpenApiDocument } from '../shared/api/openapi';
import { registeredRoutes } from '../shared/api/route-spec';
import { appVersion } from '../shared/version';
import { defineRoute } from './http/route';

interface ServedDocument {
  document: unknown;
  /** A strong validator of the document's content: equal documents have equal tags on any instance. */
  etag: string;
}

let served: ServedDocument | undefined;

/**
 * The document is the same for every request of a process: routes are registered when the app's
 * modules load, before the host serves a request. Building it walks every route's schemas (about
 * 45 ms of CPU on the development machine, for a route anyone may call), so it is built once.
 */
function openApiDocument(): ServedDocument {
  if (!served) {
    const document = buildOpenApiDocument(registeredRoutes(), { version: appVersion() });
    const digest = createHash('sha256').update(JSON.stringify(document)).digest('base64url');
    served = { document, etag: `"${digest.slice(0, 32)}"` };
  }
  return served;
}

/** `If-None-Match` names this tag (a list, weak tags and `*` included, per RFC 9110 §13.1.2). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

defineRoute(
  {
    name: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'The OpenAPI 3.1 document of this API',
    tag: 'Meta',
    access: { kind: 'public' },
    responses: {
      200: { description: 'OpenAPI document (with an `ETag`)' },
      304: { description: 'The document named by `If-None-Match` is still current' },
    },
  },
  async ({ request }) => {
    const { document, etag } = openApiDocument();
    const headers = { etag, 'cache-control': 'no-cache' };
    if (matches(request.headers.get('if-none-match'), etag)) return { status: 304, headers };
    return { status: 200, headers, body: document };
  },
);
