import type { RequestLogEntry } from '../../emulators/microsoft/realism/request-log';
import type { OwnCloud } from '../backup/own-cloud';

/** The simulated cloud's request log (`/_control/requests`): what the restore sent to Graph. */
export async function requestLog(cloud: OwnCloud, tenant: string, since: number): Promise<RequestLogEntry[]> {
  return (
    (await cloud.control(`/requests?tenant=${tenant}&since=${since}`, 'GET')) as {
      entries: RequestLogEntry[];
    }
  ).entries;
}

/** The log's last sequence number: requests after it are the ones a test caused. */
export async function requestSeq(cloud: OwnCloud): Promise<number> {
  return ((await cloud.control('/requests?since=999999999', 'GET')) as { lastSeq: number }).lastSeq;
}

/** Graph writes (POST, PATCH, PUT, DELETE to Graph, each request of a `$batch` counted on its own). */
export function graphWrites(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter(
    (e) =>
      ['POST', 'PATCH', 'PUT', 'DELETE'].includes(e.method) &&
      /^\w+ \/(beta|v1\.0)\//.test(e.endpoint) &&
      !e.endpoint.endsWith('/$batch'),
  );
}
