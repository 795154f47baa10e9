import type { GraphContract } from './types';

type Defaulted = 'role' | 'subResources' | 'detailRead' | 'assignments' | 'shape';

/** A contract as written in the data files: the common case (a restorable policy type) is the default. */
export type ContractDefinition = Omit<GraphContract, Defaulted> & Partial<Pick<GraphContract, Defaulted>>;

const DEFAULTS: Pick<GraphContract, Defaulted> = {
  role: 'policy',
  subResources: [],
  detailRead: 'list',
  assignments: { read: 'none', write: { kind: 'none' } },
  shape: { kind: 'collection' },
};

export function defineContract(definition: ContractDefinition): GraphContract {
  return Object.freeze({ ...DEFAULTS, ...definition });
}

/** The `/assign` action with the body key the SDK request builders declare (contracts-index.json). */
export const assignAction = (bodyKey: string) => ({ kind: 'action', action: 'assign', bodyKey }) as const;
