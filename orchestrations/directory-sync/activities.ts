import type { Directory } from '../../shared/directory';
import type { RunInput, WorkResult } from '../runs/contract';
import type { Activities } from '../runs/register';
import { DIRECTORY, type GroupsSegmentInput, type GroupsSegmentOutput } from './contract';

export function createDirectoryActivities(deps: () => { directory: Directory }): Activities {
  return {
    [DIRECTORY.groupsBegin]: ({ runId }: RunInput) => deps().directory.groupSync.begin(runId),

    [DIRECTORY.groupsSegment]: ({ runId }: GroupsSegmentInput): Promise<GroupsSegmentOutput> =>
      deps().directory.groupSync.segment(runId),

    [DIRECTORY.groupsFinish]: ({ runId }: RunInput): Promise<WorkResult> =>
      deps().directory.groupSync.finish(runId),

    [DIRECTORY.roles]: ({ runId }: RunInput): Promise<WorkResult> =>
      deps().directory.syncRoleDefinitions(runId),
  };
}
