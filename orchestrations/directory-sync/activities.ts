import * as df from 'durable-functions';
import { directoryModule } from '../../shared/app/directory';
import type { RunInput, WorkResult } from '../runs/contract';
import { DIRECTORY, type GroupsSegmentInput, type GroupsSegmentOutput } from './contract';

df.app.activity(DIRECTORY.groupsBegin, {
  handler: ({ runId }: RunInput) => directoryModule().groupSync.begin(runId),
});

df.app.activity(DIRECTORY.groupsSegment, {
  handler: ({ runId }: GroupsSegmentInput): Promise<GroupsSegmentOutput> =>
    directoryModule().groupSync.segment(runId),
});

df.app.activity(DIRECTORY.groupsFinish, {
  handler: ({ runId }: RunInput): Promise<WorkResult> => directoryModule().groupSync.finish(runId),
});

df.app.activity(DIRECTORY.roles, {
  handler: ({ runId }: RunInput): Promise<WorkResult> => directoryModule().syncRoleDefinitions(runId),
});
