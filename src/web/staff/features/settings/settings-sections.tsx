// The Settings sub-nav and its routes. To add a section (Portal, Storage, Notifications…), add one entry.
import type { RouteObject } from 'react-router'
import { WorkspaceSettings } from './workspace-settings.js'
import { RecordTypesSettings } from './record-types/record-types-settings.js'
import { EmailOutboxPage } from './email/email-outbox-page.js'
import { EmailDetailPage } from './email/email-detail-page.js'
import { PortalSettingsPage } from '../portal-admin/portal-settings-page.js'
import { NotificationsPage } from './notifications/notifications-page.js'
import { StoragePage } from './storage/storage-page.js'

export type SettingsSection = { path: string; label: string; routes: RouteObject[] }

export const SETTINGS_SECTIONS: SettingsSection[] = [
  { path: 'workspace', label: 'Workspace', routes: [{ path: 'workspace', element: <WorkspaceSettings /> }] },
  { path: 'record-types', label: 'Record types', routes: [{ path: 'record-types', element: <RecordTypesSettings /> }] },
  { path: 'portal', label: 'Portal', routes: [{ path: 'portal', element: <PortalSettingsPage /> }] },
  { path: 'notifications', label: 'Notifications', routes: [{ path: 'notifications', element: <NotificationsPage /> }] },
  { path: 'storage', label: 'Storage', routes: [{ path: 'storage', element: <StoragePage /> }] },
  {
    path: 'email',
    label: 'Email',
    routes: [
      { path: 'email', element: <EmailOutboxPage /> },
      { path: 'email/:emailId', element: <EmailDetailPage /> },
    ],
  },
]
