import { z } from 'zod';
import { graphContracts, type GraphContract } from '../graph';

/** Contract roles the inventory reads itself (dependencies come after, directory types have their own runs). */
const SYNCED_ROLES = new Set(['policy', 'foundation']);

/** Every type an inventory sync can read, in the registry's display order. */
export function inventoryContracts(): GraphContract[] {
  return graphContracts.filter((contract) => SYNCED_ROLES.has(contract.role));
}

/**
 * What a sync (or a backup) covers (DOMAIN.md "Inventory"). Empty lists mean "every": the default is
 * every supported type, foundations and dependencies included.
 */
export const inventorySelectionSchema = z
  .object({
    /** Contract keys (`deviceConfigurations`, `assignmentFilters`, …); empty = every type of the categories. */
    policyTypes: z.array(z.string().min(1).max(100)).max(200).default([]),
    /** Contract categories (`configuration`, `compliance`, …); empty = every category. */
    categories: z.array(z.string().min(1).max(100)).max(50).default([]),
    /** Add every foundation type (assignment filters, scope tags, notification templates, …). */
    includeFoundations: z.boolean().default(true),
    /** Read the groups the synced objects' assignments reference (id, name, type, membership rule). */
    includeDependencies: z.boolean().default(true),
  })
  .strict()
  .superRefine((selection, context) => {
    const known = new Set(inventoryContracts().map((contract) => contract.key));
    selection.policyTypes.forEach((key, index) => {
      if (!known.has(key))
        context.addIssue({
          code: 'custom',
          path: ['policyTypes', index],
          message: `unknown policy type '${key}'`,
        });
    });
    const categories = new Set(inventoryContracts().map((contract) => contract.category));
    selection.categories.forEach((category, index) => {
      if (!categories.has(category as GraphContract['category']))
        context.addIssue({
          code: 'custom',
          path: ['categories', index],
          message: `unknown category '${category}'`,
        });
    });
  });

export type InventorySelection = z.infer<typeof inventorySelectionSchema>;
export type InventorySelectionInput = z.input<typeof inventorySelectionSchema>;

/** The selection with defaults applied and lists sorted and deduplicated: equal meaning, equal value. */
export function canonicalSelection(input: InventorySelectionInput = {}): InventorySelection {
  const selection = inventorySelectionSchema.parse(input);
  return {
    ...selection,
    policyTypes: [...new Set(selection.policyTypes)].sort(),
    categories: [...new Set(selection.categories)].sort(),
  };
}

/**
 * The contracts a selection reads. Named policy types are read as named (foundation keys included);
 * otherwise every policy type of the named categories (or of all). `includeFoundations` adds every
 * foundation type, whatever the filters: they are what the selected objects point at.
 */
export function resolveSelection(selection: InventorySelection): GraphContract[] {
  const inCategory = (contract: GraphContract) =>
    selection.categories.length === 0 || selection.categories.includes(contract.category);
  return inventoryContracts().filter((contract) => {
    if (selection.includeFoundations && contract.role === 'foundation') return true;
    if (selection.policyTypes.length > 0)
      return selection.policyTypes.includes(contract.key) && inCategory(contract);
    return contract.role === 'policy' && inCategory(contract);
  });
}
