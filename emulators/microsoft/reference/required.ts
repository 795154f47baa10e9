import type { CsdlMember } from './load';
import type { Schema } from './schema';
import { parseTypeRef } from './schema';

/**
 * What Graph refuses a create without (docs/decisions/0062-required-members-on-create.md).
 *
 * From the CSDL: a structural member declared `Nullable="false"` whose type is a reference type — a
 * string, binary or complex value, not a collection — and that the client sets (not the key, not
 * read-only). The services behind Graph are .NET models: such a member is non-nullable in the metadata
 * only because the model marks it required, and the model's validation refuses a body without it ("The
 * DisplayName field is required."). Value types (booleans, numbers, enums, dates, GUIDs) are
 * `Nullable="false"` simply because a .NET value type cannot be null: absent, they take their default and
 * Graph accepts the body. A collection's `Nullable` speaks of its elements, so an absent collection is
 * an empty one. Members whose nullability the extract does not know are not required.
 *
 * Family rules: what the services refuse that the CSDL does not say, each with its source. Kept as data;
 * a rule on a base type holds for its derived types.
 */
export interface FamilyRequirement {
  /** The member that must be present (not absent, not null). */
  member: string;
  /**
   * For a collection of objects: exactly one of the items' `within` entries must have `property` equal
   * to `equals` (Intune: a compliance policy's one block action).
   */
  exactlyOne?: { within: string; property: string; equals: string };
  /** The service's own words when it refuses. */
  message: string;
  source: string;
}

export const FAMILY_REQUIREMENTS: Readonly<Record<string, readonly FamilyRequirement[]>> = {
  deviceCompliancePolicy: [
    {
      member: 'scheduledActionsForRule',
      exactlyOne: { within: 'scheduledActionConfigurations', property: 'actionType', equals: 'block' },
      message: 'Compliance policy must have one and only one block scheduled action',
      source:
        'microsoftgraph/microsoft-graph-docs#4103 and #7746 (Intune answers a POST without it with this message); ugurkocde/TenuVault#25',
    },
  ],
  conditionalAccessPolicy: [
    {
      member: 'state',
      message: 'state is required.',
      source:
        'Graph docs, conditionalAccessPolicy resource type: state "Required." (an enum: the CSDL cannot say it)',
    },
  ],
  ipNamedLocation: [
    {
      member: 'ipRanges',
      message: 'ipRanges is required.',
      source:
        'Graph docs, ipNamedLocation resource type: ipRanges "Required." (a collection: the CSDL cannot say it)',
    },
  ],
  countryNamedLocation: [
    {
      member: 'countriesAndRegions',
      message: 'countriesAndRegions is required.',
      source:
        'Graph docs, countryNamedLocation resource type: countriesAndRegions "Required." (a collection: the CSDL cannot say it)',
    },
  ],
};

/** A reference-typed member a .NET model can leave null: only an explicit requirement makes it non-nullable. */
function isReferenceTyped(schema: Schema, member: CsdlMember): boolean {
  if (!member.type) return false;
  const ref = parseTypeRef(member.type);
  if (ref.collection) return false;
  if (ref.type === 'Edm.String' || ref.type === 'Edm.Binary') return true;
  return !ref.type.startsWith('Edm.') && !schema.isEnum(ref.type);
}

/** The members of a type the CSDL makes required on create (inherited ones included). */
export function csdlRequired(schema: Schema, typeName: string, readOnly: ReadonlySet<string>): string[] {
  const { properties } = schema.members(typeName);
  const out: string[] = [];
  for (const [name, member] of properties) {
    if (member.nullable !== false || name === 'id' || readOnly.has(name)) continue;
    if (isReferenceTyped(schema, member)) out.push(name);
  }
  return out;
}

/** The family rules of a type and its base types. */
export function familyRequirements(schema: Schema, typeName: string): FamilyRequirement[] {
  const out: FamilyRequirement[] = [];
  for (let t: string | undefined = typeName; t; t = schema.baseOf(t))
    out.push(...(FAMILY_REQUIREMENTS[t] ?? []));
  return out;
}
