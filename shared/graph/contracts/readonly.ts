import generated from './readonly.generated.json';
import type { GraphContract } from './types';

/** The shape of `readonly.generated.json` (written by scripts/generate-graph-contracts.ts). */
export interface GeneratedContractData {
  _generated: string;
  contracts: Record<
    string,
    {
      /** The `@odata.type`s (short names) the collection can hold: element type and derived types. */
      types: string[];
      assignmentType: string | null;
      /** By sub-resource name (`definitionValues/presentationValues` for nested ones). */
      subResourceTypes: Record<string, string | null>;
    }
  >;
  /** By type (short name): properties Graph rejects or ignores on POST/PATCH, inherited ones included. */
  readOnly: Record<string, string[]>;
}

export const contractData: GeneratedContractData = generated;

const ID_ONLY: readonly string[] = ['id'];

/** `#microsoft.graph.windows10GeneralConfiguration` → `windows10GeneralConfiguration`. */
export function shortOdataType(odataType: string): string {
  return odataType.replace(/^#?microsoft\.graph\./, '');
}

/**
 * The properties to strip from an object of this contract before a POST/PATCH: those of its own
 * `@odata.type` when it names one of the contract's types, otherwise those of the element type.
 */
export function readOnlyProperties(contract: GraphContract, odataType?: string): readonly string[] {
  const types = contractData.contracts[contract.key]?.types ?? [];
  const own = odataType ? shortOdataType(odataType) : undefined;
  const type = own && types.includes(own) ? own : contract.elementType;
  return contractData.readOnly[type] ?? ID_ONLY;
}

/** The properties to strip from an assignment (or a sub-resource item, by name) of this contract. */
export function readOnlyPropertiesOfPart(
  contract: GraphContract,
  part: 'assignments' | string,
): readonly string[] {
  const entry = contractData.contracts[contract.key];
  const type = part === 'assignments' ? entry?.assignmentType : entry?.subResourceTypes[part];
  return (type && contractData.readOnly[type]) || ID_ONLY;
}
