/**
 * Every problem the API can answer with (RFC 9457): its stable `code`, HTTP status, the constant title of
 * its type, what it means and an example. `AppError.code` is typed by this catalog, so an error with a
 * code that is not described here does not compile; the OpenAPI document lists them all.
 */
export interface ProblemTypeSpec {
  status: number;
  /** The same for every occurrence of the type (RFC 9457 §3.1.3). */
  title: string;
  /** What happened and what the caller can do. */
  description: string;
  /** An example occurrence: its `detail` and any extension members. */
  example: { detail: string } & Record<string, unknown>;
}

const EXAMPLE_RUN_ID = '5b0f5f4e-4c1e-4a52-9d7e-2f3a1c9b8e10';
const EXAMPLE_TENANT_ID = 'cdb949c5-570d-44d4-ae26-eb50ba697697';

export const PROBLEM_TYPES = {
  validation_failed: {
    status: 400,
    title: 'Invalid request',
    description: 'The path, query or body does not match the schema; `errors` names each field.',
    example: {
      detail: 'The request body is invalid.',
      errors: [{ path: 'body.name', message: 'Too small: expected string to have >=1 characters' }],
    },
  },
  unauthenticated: {
    status: 401,
    title: 'Authentication required',
    description: 'No bearer token, or one that is expired, not for this API, or not signed by Entra ID.',
    example: { detail: 'A valid bearer token is required.' },
  },
  forbidden: {
    status: 403,
    title: 'Not allowed',
    description: "The caller's role in the workspace lacks the capability the route needs.",
    example: { detail: 'Your role does not allow this (operations.start).' },
  },
  not_found: {
    status: 404,
    title: 'Not found',
    description:
      'The resource does not exist, or the caller is not a member of its workspace (both look the same).',
    example: { detail: 'The managed tenant was not found.' },
  },
  invalid_continuation_token: {
    status: 400,
    title: 'Invalid continuation token',
    description:
      'The `continuationToken` was not issued by this API for this list, this caller and these path ids (or was altered). Start again from the first page.',
    example: {
      detail: 'The continuation token was not issued for this list; start again from the first page.',
    },
  },
  payload_too_large: {
    status: 413,
    title: 'Request body too large',
    description:
      "The body is over the route's limit (1 MB unless the route says otherwise; `limitBytes` names it). Refused before it is parsed.",
    example: {
      detail: 'The request body is larger than this route accepts (1048576 bytes).',
      limitBytes: 1048576,
    },
  },
  unsupported_media_type: {
    status: 415,
    title: 'Body is not JSON',
    description: 'A request body was sent without `Content-Type: application/json`.',
    example: { detail: 'The request body must be JSON, sent with Content-Type: application/json.' },
  },
  concurrent_update: {
    status: 409,
    title: 'Changed concurrently',
    description: 'Someone else changed the same resource at the same moment too many times; retry.',
    example: { detail: 'The operation was changed by someone else at the same time; try again.' },
  },
  restore_token_invalid: {
    status: 400,
    title: 'Restore confirmation refused',
    description:
      'The confirmation token is not the one the preview issued for this plan, target and caller (another user, another plan, a forged or altered token). Nothing was written; preview again.',
    example: { detail: 'The confirmation token does not match this restore plan.' },
  },
  restore_token_expired: {
    status: 409,
    title: 'Restore confirmation expired',
    description:
      'The confirmation token was valid but its time has passed (RESTORE_CONFIRMATION_MINUTES after the preview). Nothing was written; preview again.',
    example: { detail: 'The confirmation token expired at 2026-12-06T10:30:00.000Z.' },
  },
  restore_plan_stale: {
    status: 409,
    title: 'Restore plan no longer valid',
    description:
      'The plan cannot be executed as previewed: the preview did not succeed, it was executed already, or its source is gone. Nothing was written; preview again.',
    example: { detail: 'This restore plan was executed already by run 5b0f5f4e-….' },
  },
  baseline_source_invalid: {
    status: 400,
    title: 'Baseline source invalid',
    description:
      'The baseline cannot be built from this source: items or types it names are not in the golden tenant, or nothing is left after narrowing. `missing` lists unknown item ids.',
    example: {
      detail: 'The source tenant has no inventory item deviceConfigurations:4f1c….',
      missing: ['deviceConfigurations:4f1c…'],
    },
  },
  baseline_pairing_invalid: {
    status: 400,
    title: 'Baseline pairing invalid',
    description:
      'A pairing names a baseline object the baseline does not hold (`objectKey`), or pairs two objects with one tenant object.',
    example: {
      detail: 'The baseline has no object deviceConfigurations:9a1e….',
      objectKey: 'deviceConfigurations:9a1e…',
    },
  },
  finding_not_open: {
    status: 409,
    title: 'Finding not open',
    description:
      'Only drift (a `missing`, `different` or `extra` finding that is open or accepted) can be accepted; this finding matches its baseline now (`state`).',
    example: { detail: 'The finding matches its baseline: nothing to accept.', state: 'resolved' },
  },
  scope_busy: {
    status: 409,
    title: 'Tenant busy',
    description:
      'Another operation is active on the tenant; `activeRun` names it. Start again once it has ended.',
    example: {
      detail: 'Another operation (inventory.sync) is active on this tenant.',
      activeRun: {
        id: EXAMPLE_RUN_ID,
        type: 'inventory.sync',
        status: 'running',
        links: {
          self: `/api/operations/${EXAMPLE_RUN_ID}`,
          durableStatus: `/runtime/webhooks/durabletask/instances/${encodeURIComponent(`inventory.sync:${EXAMPLE_TENANT_ID}:${EXAMPLE_RUN_ID}`)}`,
        },
      },
    },
  },
  not_active: {
    status: 409,
    title: 'Operation already ended',
    description: 'The run has already ended, so it cannot be cancelled; `outcome` is how it ended.',
    example: { detail: 'The operation has already ended.', outcome: 'succeeded' },
  },
  tenant_exists: {
    status: 409,
    title: 'Tenant already managed',
    description: 'The workspace already has a tenant with this name or Entra tenant id; `tenantId` names it.',
    example: {
      detail: 'A managed tenant with this name or Entra tenant id already exists.',
      tenantId: EXAMPLE_TENANT_ID,
    },
  },
  last_owner: {
    status: 409,
    title: 'Last owner',
    description: 'The change would leave the workspace without an owner.',
    example: { detail: 'A workspace needs at least one owner: add another owner first.' },
  },
  default_connection_in_use: {
    status: 409,
    title: 'Default connection in use',
    description:
      "The tenant's default connection cannot be deleted while others exist; make one the default.",
    example: {
      detail:
        'This is the default connection of the tenant. Make another connection the default before deleting it.',
      otherConnectionIds: ['b8f1c1d2-6a0e-4f5e-9c3d-7e2a4b1c0d9f'],
    },
  },
  provider_not_configured: {
    status: 409,
    title: 'No provider connection',
    description: 'The tenant has no usable provider connection (none, deleted or disabled).',
    example: { detail: 'The tenant has no provider connection.' },
  },
  nothing_to_retry: {
    status: 409,
    title: 'Nothing to retry',
    description: "The schedule's latest run did not fail; `lastRun` is that run (or null).",
    example: {
      detail: "The schedule's latest run did not fail; there is nothing to retry.",
      lastRun: { runId: EXAMPLE_RUN_ID, status: 'completed', outcome: 'succeeded' },
    },
  },
  backup_in_progress: {
    status: 409,
    title: 'Backup in progress',
    description: 'The backup set is still being made by `runId`; wait until it has ended.',
    example: { detail: 'The backup is still being made.', runId: EXAMPLE_RUN_ID },
  },
  backup_pinned: {
    status: 409,
    title: 'Backup pinned',
    description: 'Pinned backup sets are never deleted; unpin it first.',
    example: { detail: 'The backup set is pinned; unpin it first.' },
  },
  internal_error: {
    status: 500,
    title: 'Internal error',
    description: 'Something unexpected failed on the server; it was logged. Nothing of it is echoed.',
    example: { detail: 'Something went wrong on our side.' },
  },
  dispatch_failed: {
    status: 503,
    title: 'Operation not started',
    description:
      'The run was recorded but its orchestration could not be started; the run ended failed. Start again.',
    example: {
      detail: 'The operation could not be started; it was recorded as failed. Try again.',
      run: { id: EXAMPLE_RUN_ID, links: { self: `/api/operations/${EXAMPLE_RUN_ID}` } },
    },
  },
  live_unavailable: {
    status: 503,
    title: 'Live updates unavailable',
    description: 'SignalR Service did not answer; live updates can be negotiated again shortly.',
    example: { detail: 'Live updates are unavailable right now; try again.' },
  },
} as const satisfies Record<string, ProblemTypeSpec>;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

/** The codes answered with one HTTP status (a 409 error cannot carry a 503 code). */
export type ProblemCodeOf<Status extends number> = {
  [Code in ProblemCode]: (typeof PROBLEM_TYPES)[Code]['status'] extends Status ? Code : never;
}[ProblemCode];

export const PROBLEM_CODES = Object.keys(PROBLEM_TYPES) as ProblemCode[];

/** The problem's `type` URI: one per code. */
export function problemTypeUri(code: ProblemCode): string {
  return `https://tenantatlas.dev/problems/${code.replace(/_/g, '-')}`;
}
