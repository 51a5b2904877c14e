// '@bazaar/console': what a plugin's console pages may import (plugins/<name>/admin/*.tsx).
import { lazy } from 'react';
export { storeApi, platformApi, ApiError, type Page, type Problem } from './api';
export { useSession } from './layout/Shell';
export { useMe } from './layout/Consoles';
export { allows, canOpen, hasPermission } from './perms';
export type { Access, UserCtx } from './nav';
export { AnchorLink, Data, DateText, EmptyRow, ErrorAlert, Loading, Money, PageTitle, Pager, ScrollTable, StatusBadge, useCursorPager } from './components';
export { ServerTable, type Column } from './list';
export { defineConsole, pickPluginText, usePluginText, CORE_ZONES, type ConsolePage, type ConsolePlugin, type ConsoleWidget, type CoreZone, type WidgetProps } from './plugin-api';
export { WidgetZone } from './widgets';
export { useRequestSchema } from './request-schema';
export type { IdChoice, SchemaFormProps } from './schema-form';
/** A form rendered from a route's request JSON Schema (lazily loaded with rjsf). */
export const SchemaForm = lazy(() => import('./schema-form'));
