import type { Container } from '@azure/cosmos';
import { readItem, withoutSystemFields } from '../../store/documents';
import {
  policyVersionSchema,
  versionChunkSchema,
  versionContentSchema,
  type PolicyVersion,
  type VersionChunk,
  type VersionContent,
} from '../model';
import { upsertAll, type WriteStats } from './batch-writer';

/** Content up to this size is stored in the version document; Cosmos allows 2 MB per document. */
export const INLINE_LIMIT_BYTES = 1_000_000;
/** Characters per chunk document: at most 3 UTF-8 bytes each, so a chunk stays near 1.5 MB. */
export const CHUNK_CHARS = 500_000;

export type NewVersion = Omit<PolicyVersion, 'content' | 'chunks' | 'size'> & { content: VersionContent };

/**
 * Policy versions: one document per version, its id the content hash. Content too large for one Cosmos
 * document is cut into chunk documents (written first, so a version never points at missing chunks) and
 * put back together on read: callers never see the difference.
 */
export class VersionStore {
  constructor(
    private readonly container: Container,
    private readonly limits = { inlineBytes: INLINE_LIMIT_BYTES, chunkChars: CHUNK_CHARS },
  ) {}

  async write(tenantId: string, versions: readonly NewVersion[], stats: WriteStats): Promise<void> {
    const documents: PolicyVersion[] = [];
    for (const version of versions) {
      const text = JSON.stringify(version.content);
      const size = Buffer.byteLength(text);
      if (size <= this.limits.inlineBytes) {
        documents.push({ ...version, chunks: 0, size });
        continue;
      }
      const chunks: VersionChunk[] = [];
      for (let start = 0, index = 0; start < text.length; start += this.limits.chunkChars, index++) {
        chunks.push({
          id: `${version.id}.chunk${index}`,
          tenantId,
          docType: 'versionChunk',
          versionId: version.id,
          index,
          data: text.slice(start, start + this.limits.chunkChars),
        });
      }
      // One chunk per batch: each is close to the batch size limit on its own.
      for (const chunk of chunks) await upsertAll(this.container, tenantId, [chunk], stats);
      documents.push({ ...version, content: null, chunks: chunks.length, size });
    }
    await upsertAll(this.container, tenantId, documents, stats);
  }

  /** The version with its content, reassembled from chunks when it was cut; undefined when unknown. */
  async read(
    tenantId: string,
    versionId: string,
  ): Promise<(PolicyVersion & { content: VersionContent }) | undefined> {
    const doc = await readItem<PolicyVersion>(this.container, versionId, tenantId);
    if (!doc || doc.docType !== 'version') return undefined;
    const version = policyVersionSchema.parse(withoutSystemFields(doc));
    if (version.content) return { ...version, content: version.content };
    const parts: string[] = [];
    for (let index = 0; index < version.chunks; index++) {
      const chunk = await readItem<VersionChunk>(this.container, `${versionId}.chunk${index}`, tenantId);
      if (!chunk) throw new Error(`Chunk ${index} of version ${versionId} is missing.`);
      parts.push(versionChunkSchema.parse(chunk).data);
    }
    return { ...version, content: versionContentSchema.parse(JSON.parse(parts.join(''))) };
  }
}
