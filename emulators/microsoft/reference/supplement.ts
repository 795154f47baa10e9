import type { CsdlMember, CsdlType } from './load';

/**
 * Types the simulator serves that are outside the Intune CSDL extract in graph-reference/
 * (the extract lists them under `externalReferences` only). Declared here in the same shape, with the
 * members documented for v1.0 and beta (Graph docs resource pages: agreement, termsExpiration,
 * authenticationContextClassReference, servicePrincipal, appRole, appRoleAssignment, directoryAudit). Only the members
 * the simulator serves are listed; validation reports these types as `supplemental`.
 */
export const SUPPLEMENTAL_ENTITY_TYPES: Record<string, CsdlType> = {
  /** Entra's audit log entry (directoryAudit resource page); `additionalDetails` is left out. */
  directoryAudit: {
    baseType: 'microsoft.graph.entity',
    abstract: false,
    properties: {
      activityDateTime: { type: 'Edm.DateTimeOffset', nullable: false },
      activityDisplayName: { type: 'Edm.String', nullable: false },
      category: { type: 'Edm.String', nullable: false },
      correlationId: { type: 'Edm.String', nullable: true },
      initiatedBy: { type: 'microsoft.graph.auditActivityInitiator', nullable: false },
      loggedByService: { type: 'Edm.String', nullable: true },
      operationType: { type: 'Edm.String', nullable: true },
      result: { type: 'Edm.String', nullable: true },
      resultReason: { type: 'Edm.String', nullable: true },
      targetResources: { type: 'Collection(microsoft.graph.targetResource)', nullable: false },
    },
    navigationProperties: {},
  },
  agreement: {
    baseType: 'microsoft.graph.entity',
    abstract: false,
    properties: {
      displayName: { type: 'Edm.String', nullable: true },
      isPerDeviceAcceptanceRequired: { type: 'Edm.Boolean', nullable: true },
      isViewingBeforeAcceptanceRequired: { type: 'Edm.Boolean', nullable: true },
      termsExpiration: { type: 'microsoft.graph.termsExpiration', nullable: true },
      userReacceptRequiredFrequency: { type: 'Edm.Duration', nullable: true },
    },
    navigationProperties: {},
  },
  authenticationContextClassReference: {
    baseType: 'microsoft.graph.entity',
    abstract: false,
    properties: {
      description: { type: 'Edm.String', nullable: true },
      displayName: { type: 'Edm.String', nullable: true },
      isAvailable: { type: 'Edm.Boolean', nullable: true },
    },
    navigationProperties: {},
  },
  servicePrincipal: {
    baseType: 'microsoft.graph.directoryObject',
    abstract: false,
    properties: {
      accountEnabled: { type: 'Edm.Boolean', nullable: true },
      appDisplayName: { type: 'Edm.String', nullable: true },
      appId: { type: 'Edm.String', nullable: true },
      appOwnerOrganizationId: { type: 'Edm.Guid', nullable: true },
      appRoleAssignmentRequired: { type: 'Edm.Boolean', nullable: false },
      appRoles: { type: 'Collection(microsoft.graph.appRole)', nullable: false },
      displayName: { type: 'Edm.String', nullable: true },
      servicePrincipalNames: { type: 'Collection(Edm.String)', nullable: false },
      servicePrincipalType: { type: 'Edm.String', nullable: true },
      signInAudience: { type: 'Edm.String', nullable: true },
      tags: { type: 'Collection(Edm.String)', nullable: false },
    },
    navigationProperties: {
      appRoleAssignments: { type: 'Collection(microsoft.graph.appRoleAssignment)', containsTarget: true },
    },
  },
  appRoleAssignment: {
    baseType: 'microsoft.graph.directoryObject',
    abstract: false,
    properties: {
      appRoleId: { type: 'Edm.Guid', nullable: false },
      createdDateTime: { type: 'Edm.DateTimeOffset', nullable: true },
      principalDisplayName: { type: 'Edm.String', nullable: true },
      principalId: { type: 'Edm.Guid', nullable: true },
      principalType: { type: 'Edm.String', nullable: true },
      resourceDisplayName: { type: 'Edm.String', nullable: true },
      resourceId: { type: 'Edm.Guid', nullable: true },
    },
    navigationProperties: {},
  },
};

export const SUPPLEMENTAL_COMPLEX_TYPES: Record<string, CsdlType> = {
  auditActivityInitiator: {
    properties: {
      user: { type: 'microsoft.graph.auditUserIdentity', nullable: true },
      app: { type: 'microsoft.graph.appIdentity', nullable: true },
    },
  },
  auditUserIdentity: {
    properties: {
      id: { type: 'Edm.String', nullable: true },
      displayName: { type: 'Edm.String', nullable: true },
      userPrincipalName: { type: 'Edm.String', nullable: true },
      ipAddress: { type: 'Edm.String', nullable: true },
    },
  },
  appIdentity: {
    properties: {
      appId: { type: 'Edm.String', nullable: true },
      displayName: { type: 'Edm.String', nullable: true },
      servicePrincipalId: { type: 'Edm.String', nullable: true },
      servicePrincipalName: { type: 'Edm.String', nullable: true },
    },
  },
  targetResource: {
    properties: {
      id: { type: 'Edm.String', nullable: true },
      displayName: { type: 'Edm.String', nullable: true },
      type: { type: 'Edm.String', nullable: true },
      userPrincipalName: { type: 'Edm.String', nullable: true },
      groupType: { type: 'Edm.String', nullable: true },
      modifiedProperties: { type: 'Collection(microsoft.graph.modifiedProperty)', nullable: false },
    },
  },
  modifiedProperty: {
    properties: {
      displayName: { type: 'Edm.String', nullable: true },
      oldValue: { type: 'Edm.String', nullable: true },
      newValue: { type: 'Edm.String', nullable: true },
    },
  },
  termsExpiration: {
    properties: {
      frequency: { type: 'Edm.Duration', nullable: true },
      startDateTime: { type: 'Edm.DateTimeOffset', nullable: true },
    },
  },
  appRole: {
    properties: {
      allowedMemberTypes: { type: 'Collection(Edm.String)', nullable: false },
      description: { type: 'Edm.String', nullable: true },
      displayName: { type: 'Edm.String', nullable: true },
      id: { type: 'Edm.Guid', nullable: false },
      isEnabled: { type: 'Edm.Boolean', nullable: false },
      origin: { type: 'Edm.String', nullable: true },
      value: { type: 'Edm.String', nullable: true },
    },
  },
};

/** A member the service has that the CSDL extract lacks, with where it comes from. */
export interface SupplementalMember extends CsdlMember {
  /** Set by the service, never by a client: ignored on writes like the CSDL's read-only members. */
  readOnly?: boolean;
  source: string;
}

const PUBLISHED_CSDL =
  "Microsoft's published CSDL (microsoftgraph/msgraph-metadata @ f54f11b, 2026-08-20: clean_v10_metadata/cleanMetadata.xml and the beta schemas/beta-USSec.csdl)";
const SERVICE_ONLY =
  'not in any published CSDL; the service returns it today (null in the conditional access exports of graph-reference/real-payloads and in other published GET answers), so its shape is unknown: Edm.Untyped';

/**
 * Members of types inside the extract that the beta extract lacks (it is rebuilt from an SDK model; see
 * graph-reference/README.md) but the service holds and returns, so a GET body written back must be
 * accepted. Typed from the published CSDL where it declares them, `Edm.Untyped` (any JSON value) where
 * only the service shows them.
 */
export const SUPPLEMENTAL_MEMBERS: Record<string, Record<string, SupplementalMember>> = {
  conditionalAccessPolicy: {
    templateId: { type: 'Edm.String', nullable: true, source: PUBLISHED_CSDL },
    // Inherited from policyDeletableItem in the published CSDL; set when the policy is soft-deleted.
    deletedDateTime: { type: 'Edm.DateTimeOffset', nullable: true, readOnly: true, source: PUBLISHED_CSDL },
    partialEnablementStrategy: { type: 'Edm.Untyped', nullable: true, source: SERVICE_ONLY },
  },
  conditionalAccessConditionSet: {
    // `times` is the legacy time condition; `agents` and `clients` came with agent identities.
    times: { type: 'Edm.Untyped', nullable: true, source: SERVICE_ONLY },
    agents: { type: 'Edm.Untyped', nullable: true, source: SERVICE_ONLY },
    clients: { type: 'Edm.Untyped', nullable: true, source: SERVICE_ONLY },
  },
  conditionalAccessSessionControls: {
    blockSensitiveActions: { type: 'Edm.Untyped', nullable: true, source: SERVICE_ONLY },
  },
};
