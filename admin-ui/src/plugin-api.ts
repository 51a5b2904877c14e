// What a plugin's console module (plugins/<name>/admin/console.ts) exports: its pages, each a
// navigation item with the permissions that may see it and a lazily loaded component. The
// console shows them only to stores where the plugin is on. Pages import the console's
// helpers from '@bazaar/console'.
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserCtx } from './nav';
import { PSEUDO, pseudoTable } from './pseudo';

export interface ConsolePage {
  /** One path segment: the page is at /admin/store/ext/<plugin>/<path>. */
  path: string;
  /** The navigation label per language (en is the fallback). */
  label: Record<string, string>;
  /** Any-of: who may see and open the page (store pages). */
  permission?: string | string[];
  /** All-of: every one of these is needed too (store pages). */
  allOf?: string[];
  /** A predicate ANDed with the permissions: the signed-in user's permissions, role and the store's enabled plugins. */
  isVisible?: (user: UserCtx) => boolean;
  /**
   * `store` (default): in the store console where the plugin is on, at /admin/store/ext/<plugin>/<path>. `platform`: a platform plugin's page in the platform console, at /admin/platform/ext/<plugin>/<path>, where the plugin is installed.
   * `public`: a page for people with no console session (a merchant applying), at /admin/ext/<plugin>/<path>, outside both consoles and in no navigation; it signs its users in against the plugin's own API.
   */
  surface?: 'store' | 'platform' | 'public';
  load: () => Promise<{ default: ComponentType }>;
}

/**
 * The zones of the core pages a plugin's widget can go into (UI-4). A detail page's zone gives
 * its widgets the id of what it shows (`entityId`). Plugin pages expose zones of their own with
 * `<WidgetZone zone="<plugin>.<page>.<place>" />` from '@bazaar/console'.
 */
export const CORE_ZONES = ['dashboard.main', 'order.details.main', 'order.details.side', 'product.details.main', 'customer.details.main', 'customer.details.side'] as const;
export type CoreZone = (typeof CORE_ZONES)[number];

export interface WidgetProps {
  /** The zone the widget is shown in. */
  zone: string;
  /** On a detail page: the id of its order, product or customer. */
  entityId?: string;
}

export interface ConsoleWidget {
  /** Unique within the plugin. */
  key: string;
  /** A core zone (CORE_ZONES) or a zone a plugin page exposes. */
  zone: CoreZone | (string & {});
  /** Any-of, all-of and a predicate, as for pages: who sees the widget. */
  permission?: string | string[];
  allOf?: string[];
  isVisible?: (user: UserCtx) => boolean;
  /** Lower first; ties by plugin name. */
  order?: number;
  load: () => Promise<{ default: ComponentType<WidgetProps> }>;
}

export interface ConsolePlugin {
  plugin: string;
  pages: ConsolePage[];
  /** Widgets shown in zones of core pages (and of plugin pages) where the plugin is on for the store. */
  widgets?: ConsoleWidget[];
  /** Titles and descriptions of the settings form's fields per language (the schema's own text is the fallback). */
  settingsLabels?: Record<string, Record<string, { title?: string; description?: string }>>;
}

export function defineConsole(def: ConsolePlugin): ConsolePlugin {
  return def;
}

/** A plugin page's own strings per language: the console's language, else English. */
export function pickPluginText<T>(text: { en: T } & Record<string, T>, language: string): T {
  if (language === PSEUDO) return pseudoTable(text.en);
  return text[language] ?? text.en;
}

/** The hook form of pickPluginText: follows the language switch. */
export function usePluginText<T>(text: { en: T } & Record<string, T>): T {
  const { i18n } = useTranslation();
  return pickPluginText(text, i18n.language);
}
