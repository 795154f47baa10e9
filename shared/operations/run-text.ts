import type { Run, RunOutcome, RunStatus } from './model';

export type FinalOutcome = Exclude<RunOutcome, 'pending'>;

/**
 * How people read a run of one type. Every run type declares one next to its definition (a required
 * field of `RunType`, so a type without it does not compile); notifications, the run views and the live
 * updates all render it through `describeRun`.
 */
export interface RunText {
  /** What the run is, capitalized, without the tenant: "Inventory sync". */
  label: string;
  /**
   * What each final outcome adds after the dash ("239 objects, 2 changed"); '' adds nothing. Reads the
   * run's `result`, `counts` and `failures`, which may be empty (a run that failed before its work).
   */
  ended: Record<FinalOutcome, (run: Run) => string>;
}

export interface RunDescription {
  label: string;
  /** One line: "Inventory sync of Contoso finished — 239 objects, 2 changed". */
  summary: string;
}

const ENDINGS: Record<FinalOutcome, string> = {
  succeeded: 'finished',
  partially_succeeded: 'finished with problems',
  failed: 'failed',
  cancelled: 'was cancelled',
};

/**
 * The run's label and summary line as of a state (a live update may report a state the document has
 * already moved past): queued, running (with its progress), or ended with its outcome.
 */
export function describeRun(
  text: RunText,
  run: Run,
  as: { status: RunStatus; outcome: RunOutcome } = run,
): RunDescription {
  const subject = `${text.label} of ${run.tenantName ?? 'the tenant'}`;
  let line: string;
  if (as.status === 'queued') line = `${subject} queued`;
  else if (as.status === 'running' || as.outcome === 'pending')
    line = withDetail(`${subject} running`, run.progress);
  else line = withDetail(`${subject} ${ENDINGS[as.outcome]}`, text.ended[as.outcome](run));
  return { label: text.label, summary: line };
}

function withDetail(headline: string, detail: string | null | undefined): string {
  return detail ? `${headline} — ${detail}` : headline;
}

/** "1 object", "239 objects". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}

/** A number from the run's result (0 when the run ended before it had one). */
export function resultNumber(run: Run, ...path: string[]): number {
  let value: unknown = run.result;
  for (const key of path)
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' ? value : 0;
}

/** What went wrong, for people: the first failure's message, and how many more there are. */
export function failureDetail(run: Run): string {
  const [first, ...more] = run.failures;
  if (!first) return '';
  const message = first.message.replace(/\.$/, '');
  return more.length > 0 ? `${message} (and ${count(more.length, 'other problem')})` : message;
}

/** Who cancelled it ("Cancelled by Olga Operator"), from the failure the cancel recorded. */
export function cancelDetail(run: Run): string {
  return run.failures.find((f) => f.reasonCode === 'cancelled')?.message.replace(/\.$/, '') ?? '';
}

/** A run whose type is no longer in the catalog still reads as something. */
export function fallbackText(type: string): RunText {
  return {
    label: type,
    ended: {
      succeeded: () => '',
      partially_succeeded: failureDetail,
      failed: failureDetail,
      cancelled: cancelDetail,
    },
  };
}
