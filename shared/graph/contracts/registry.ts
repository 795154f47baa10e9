import { appContracts } from './data/apps';
import { auditContracts } from './data/audit';
import { complianceContracts } from './data/compliance';
import { configurationContracts } from './data/configuration';
import { directoryContracts } from './data/directory';
import { enrollmentContracts } from './data/enrollment';
import { entraContracts } from './data/entra';
import { foundationContracts } from './data/foundations';
import { scriptContracts } from './data/scripts';
import { tenantContracts } from './data/tenant';
import { updateContracts } from './data/updates';
import { windows365Contracts } from './data/windows365';
import type { GraphContract } from './types';

/** Every Graph collection the app reads or writes. The order is the inventory's display order. */
export const graphContracts: readonly GraphContract[] = Object.freeze([
  ...configurationContracts,
  ...complianceContracts,
  ...enrollmentContracts,
  ...scriptContracts,
  ...appContracts,
  ...updateContracts,
  ...foundationContracts,
  ...entraContracts,
  ...windows365Contracts,
  ...directoryContracts,
  ...tenantContracts,
  ...auditContracts,
]);

const byKey = new Map(graphContracts.map((contract) => [contract.key, contract]));

export function findContract(key: string): GraphContract | undefined {
  return byKey.get(key);
}

/** The contract of a key the code names itself; an unknown key is a programming error. */
export function getContract(key: string): GraphContract {
  const contract = byKey.get(key);
  if (!contract) throw new Error(`No Graph contract for '${key}'.`);
  return contract;
}
