import { z } from 'zod';
import { idSchema, listOf, pageQuery } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import { notificationSchema } from '../shared/notifications/model';
import { defineRoute } from './http/route';

const tag = 'Notifications';

defineRoute(
  {
    name: 'listMyNotifications',
    method: 'GET',
    path: '/me/notifications',
    summary: "The caller's notifications, newest first",
    tag,
    access: { kind: 'authenticated' },
    query: pageQuery.extend({
      unread: z
        .enum(['true', 'false'])
        .transform((value) => value === 'true')
        .optional()
        .describe('`true`: only those not marked read'),
    }),
    responses: { 200: { description: 'Notifications', schema: listOf(notificationSchema) } },
  },
  async ({ principal, query }) => ({
    status: 200,
    body: await getServices().notifications.list(principal.userId, query),
  }),
);

defineRoute(
  {
    name: 'markNotificationRead',
    method: 'POST',
    path: '/me/notifications/{notificationId}/read',
    summary: 'Mark a notification of the caller read (marking it again changes nothing)',
    tag,
    access: { kind: 'authenticated' },
    params: z.object({ notificationId: idSchema }),
    responses: { 200: { description: 'The notification', schema: notificationSchema } },
  },
  async ({ principal, params }) => ({
    status: 200,
    body: await getServices().notifications.markRead(principal.userId, params.notificationId),
  }),
);
