import type { Watch } from '../../shared/watch';
import type { RunInput, WorkResult } from '../runs/contract';
import type { Activities } from '../runs/register';
import { WATCH, type ApplyInput, type ApplyTotals, type FinishInput, type WatchPlan } from './contract';

export function createWatchActivities(deps: () => { watch: Watch }): Activities {
  return {
    [WATCH.plan]: ({ runId }: RunInput): Promise<WatchPlan> => deps().watch.plan(runId),
    [WATCH.apply]: (input: ApplyInput): Promise<ApplyTotals> => deps().watch.apply(input),
    [WATCH.finish]: (input: FinishInput): Promise<WorkResult> => deps().watch.finish(input),
  };
}
