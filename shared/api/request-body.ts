import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors';

/** The body limit of a route that does not name its own: far above any JSON the API takes. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** What a request body reader needs: the Fetch API's Request shape, which @azure/functions implements. */
export interface BodySource {
  headers: { get(name: string): string | null };
  body: ReadableStream<Uint8Array> | null;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * The JSON body of a request, or undefined when it has none. A body that is not declared JSON is a 415;
 * one over `limitBytes` a 413, decided from Content-Length when it is sent and otherwise by counting
 * while reading, so an oversized body is never held whole in memory nor parsed.
 */
export async function readJsonBody(request: BodySource, limitBytes: number): Promise<unknown> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const bytes = await readLimited(request.body, limitBytes);
  if (bytes.length === 0) return undefined;
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (!JSON_MEDIA_TYPE.test(mediaType)) throw new UnsupportedMediaTypeError();
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
}

async function readLimited(stream: ReadableStream<Uint8Array> | null, limitBytes: number): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel();
      throw new PayloadTooLargeError(limitBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
