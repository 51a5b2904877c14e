// What the onboarding review queues share (UI-8): a live SLA countdown, the assignee by email,
// keyboard shortcuts for approve and reject (not while typing), and a 409 that says who decided first.
import { useEffect, useState } from 'react';
import { Alert, Badge, Kbd, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, ErrorAlert, platformApi, useSession, pickPluginText } from '@bazaar/console';
import { formatSpan } from './span';

export const KIT_TEXT = {
  en: { left: '{{span}} left', late: 'late by {{span}}', assignee: 'Assignee', nobody: 'nobody', decidedBy: 'Already decided by', shortcuts: 'Shortcuts', approveKey: 'approve', rejectKey: 'reject', someone: 'another reviewer' },
  'zh-CN': { left: '剩余 {{span}}', late: '已超时 {{span}}', assignee: '处理人', nobody: '未分配', decidedBy: '已被处理，处理人：', shortcuts: '快捷键', approveKey: '通过', rejectKey: '拒绝', someone: '其他审核员' },
  ja: { left: '残り {{span}}', late: '{{span}} 超過', assignee: '担当者', nobody: '未割り当て', decidedBy: '処理済み。担当者：', shortcuts: 'ショートカット', approveKey: '承認', rejectKey: '却下', someone: '別の審査担当者' },
};
export type KitText = (typeof KIT_TEXT)['en'];

export function useKitText(): KitText {
  const { i18n } = useTranslation();
  return pickPluginText(KIT_TEXT, i18n.language);
}

const fill = (template: string, span: string) => template.replace('{{span}}', span);

/** Time left to the review deadline, ticking each minute; red once past it. */
export function SlaCountdown({ due, done }: { due: string | null; done?: boolean }) {
  const t = useKitText();
  const { i18n } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  if (!due || done) return <Text size="sm">—</Text>;
  const left = Date.parse(due) - now;
  return left >= 0
    ? <Badge variant="outline" color="dark.6" data-testid="sla">{fill(t.left, formatSpan(left, i18n.language))}</Badge>
    : <Badge variant="outline" color="red.9" data-testid="sla">{fill(t.late, formatSpan(left, i18n.language))}</Badge>;
}

/** Platform admins by id, for the assignee and "decided by" (GET /platform/v1/admins). */
export function useAdmins() {
  const session = useSession('platform');
  const admins = useQuery({ queryKey: ['platform', session?.email, 'admins-by-id'], queryFn: () => platformApi<{ items: { id: string; email: string }[] }>('GET', '/admins', { query: { limit: 100 } }), staleTime: 60_000 });
  return (id: string | null | undefined) => (id ? admins.data?.items.find((a) => a.id === id)?.email ?? id.slice(0, 8) : null);
}

export function Assignee({ id }: { id: string | null | undefined }) {
  const t = useKitText();
  const email = useAdmins()(id);
  return <Text size="sm" data-testid="assignee">{email ?? t.nobody}</Text>;
}

/** `a` approves, `r` rejects: only while no field has the focus, and without modifier keys. */
export function useDecisionKeys(handlers: { approve?: () => void; reject?: () => void }, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))) return;
      if (e.key === 'a' && handlers.approve) {
        e.preventDefault();
        handlers.approve();
      } else if (e.key === 'r' && handlers.reject) {
        e.preventDefault();
        handlers.reject();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [handlers, enabled]);
}

export function ShortcutHint() {
  const t = useKitText();
  return (
    <Text size="xs" c="dimmed">
      {`${t.shortcuts}: `}<Kbd>{'a'}</Kbd> {`${t.approveKey} · `}<Kbd>{'r'}</Kbd> {t.rejectKey}
    </Text>
  );
}

/** An error, and for a 409 on an item someone else decided, who it was. */
export function DecisionError({ error }: { error: unknown }) {
  const t = useKitText();
  const name = useAdmins();
  if (!error) return null;
  // (Some 409 bodies carry the item's own `status`, so the problem's kind is told by decidedBy.)
  if (error instanceof ApiError) {
    const p = error.problem as { decidedBy?: string | { actorId: string | null } | null };
    const by = typeof p.decidedBy === 'string' ? p.decidedBy : p.decidedBy?.actorId;
    if (p.decidedBy !== undefined) {
      return (
        <Alert color="orange" role="alert" data-testid="decided-by">
          {t.decidedBy} {name(by) ?? t.someone} ({error.problem.title})
        </Alert>
      );
    }
  }
  return <ErrorAlert error={error} />;
}
