/** Parses an Azure SignalR connection string (`Endpoint=...;AccessKey=...;Version=1.0;[Port=...;]`). */
export function parseSignalRConnectionString(value: string): { endpoint: string; accessKey: string } {
  const settings = new Map<string, string>();
  for (const part of value.split(';')) {
    const separator = part.indexOf('=');
    if (separator <= 0) continue;
    // Keys are case-insensitive; values keep everything after the first '=' (access keys are base64).
    settings.set(part.slice(0, separator).trim().toLowerCase(), part.slice(separator + 1).trim());
  }
  const endpoint = settings.get('endpoint');
  const accessKey = settings.get('accesskey');
  if (!endpoint || !accessKey) {
    throw new Error('A SignalR connection string needs Endpoint=<url> and AccessKey=<key>.');
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`The SignalR connection string's Endpoint is not a URL: ${endpoint}`);
  }
  const port = settings.get('port');
  if (port) url.port = port;
  return { endpoint: url.toString().replace(/\/+$/, ''), accessKey };
}

export function formatSignalRConnectionString(endpoint: string, accessKey: string): string {
  return `Endpoint=${endpoint};AccessKey=${accessKey};Version=1.0;`;
}
