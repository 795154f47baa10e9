import type { RunFailure } from '../../shared/operations/model';
import { ORCHESTRATORS } from '../../shared/operations/orchestrators';

/** Names and payloads of the directory-cache orchestrations and activities (ids and counts only). */
export const DIRECTORY = {
  groupsOrchestrator: ORCHESTRATORS.directoryGroupsSync,
  rolesOrchestrator: ORCHESTRATORS.directoryRoleDefinitionsSync,
  groupsBegin: 'directoryGroupsBegin',
  groupsSegment: 'directoryGroupsSegment',
  groupsFinish: 'directoryGroupsFinish',
  roles: 'directoryRoleDefinitionsRead',
} as const;

export interface GroupsSegmentInput {
  runId: string;
  /** Counts the orchestrator's segments (history readability; the work continues from the stored round). */
  step: number;
}

export interface GroupsSegmentOutput {
  done: boolean;
  pages: number;
  read: number;
  failure?: RunFailure;
}
