/** Fields of one Graph log line: correlation ids, never tokens, secrets, bodies or query strings. */
export type GraphLogFields = Record<string, string | number | boolean | undefined>;

/** Where the pipeline writes its request log (the app's logger in production, a capture in tests). */
export interface GraphLogger {
  debug(message: string, fields: GraphLogFields): void;
  info(message: string, fields: GraphLogFields): void;
  warn(message: string, fields: GraphLogFields): void;
  error(message: string, fields: GraphLogFields): void;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

/** JSON lines on the console (Application Insights picks them up from the Functions host's stdout). */
export function consoleGraphLogger(minimumLevel: Level = 'info'): GraphLogger {
  const threshold = LEVELS.indexOf(minimumLevel);
  const write = (level: Level) => (message: string, fields: GraphLogFields) => {
    if (LEVELS.indexOf(level) < threshold) return;
    const line = JSON.stringify({ level, message, ...fields });
    if (level === 'error' || level === 'warn') console.error(line);
    else console.log(line);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
