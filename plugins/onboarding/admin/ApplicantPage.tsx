// The applicant's own pages (a `public` console page, /admin/ext/onboarding/apply): sign up, confirm
// the mailed token, sign in; start an application; fill in company and brand; upload documents per
// checklist item; submit; see which items were refused and why; fix them and submit again; once
// approved, open the store: accept the contract, follow the deposit ledger and the payout account. The
// applicant token (its own kind, good only on the applicant API) is kept in this tab's sessionStorage.
import { useState, type FormEvent } from 'react';
import { Alert, Badge, Button, FileInput, Group, NativeSelect, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, ErrorAlert, Loading, Data, DateText, EmptyRow, Money, ScrollTable, StatusBadge, type Problem, pickPluginText } from '@bazaar/console';

const KEY = 'bazaar.onboarding.applicant';
const BASE = '/platform/v1/onboarding/applicant';

interface Item { id: string; kind: string; required: boolean; label: string; status: string; problems: string[]; reasons: string[]; note?: string | null }
interface App {
  id: string; status: string; category: string; storeName: string; storeSlug: string;
  data: { company?: Record<string, string>; brand?: Record<string, string> };
  checklist: Item[]; blocking: string[];
  documents: { id: string; requirementId: string; filename: string; size: number }[];
  decisions: { action: string; toStatus: string; reasons: { code: string; requirementId: string }[]; externalNote: string | null; createdAt: string }[];
  storeId: string | null; activationDueAt: string | null; contractAcceptedAt: string | null; activatedAt: string | null;
  deposit: { required: number; currency: string; balance: number; topUpDueAt: string | null } | null;
  payoutAccount: { required: boolean; status: string };
  store: { id: string; status: string | null; reason: string | null } | null;
}
interface Ledger { items: { id: string; type: 'paid' | 'deducted' | 'refunded'; amount: number; currency: string; reference: string | null; createdAt: string }[]; balance: number }

const TEXT = {
  en: {
    title: 'Apply to sell', signUp: 'Sign up', confirm: 'Confirm email', signIn: 'Sign in', signOut: 'Sign out', name: 'Your name', email: 'Email', password: 'Password', token: 'Token from the email',
    sent: 'We sent a confirmation token to your email. Paste it below.', mine: 'My applications', start: 'Start an application', category: 'Category', storeName: 'Store name', storeSlug: 'Store address (slug)',
    open: 'Open', company: 'Company', legalName: 'Legal name', registrationNumber: 'Registration number', registeredAddress: 'Registered address', country: 'Country (ISO code)', brand: 'Brand', brandName: 'Brand name',
    trademarkNumber: 'Trademark number', trademarkType: 'Trademark type', owner: 'Trademark owner', save: 'Save', saved: 'Saved', checklist: 'Checklist', item: 'Item', status: 'Status', why: 'What to fix',
    documents: 'Documents', requirement: 'For item', file: 'File (PDF, JPG or PNG)', expires: 'Valid until', upload: 'Upload', attest: 'I accept the terms', submit: 'Submit for review', resubmit: 'Submit again',
    reopen: 'Start over from this application', refused: 'Refused items', notes: 'Messages from the reviewers', none: 'Nothing refused',
    opening: 'Open your store', openingHint: 'Your application is approved. The store opens once the contract is accepted, the deposit is in and, where the category asks for one, the payout account is active.',
    openBefore: 'Open it before', storeOpen: 'Your store is open.', stillNeeded: 'Still needed', need_contract: 'accept the contract', need_deposit: 'the deposit', need_payout_account: 'an active payout account',
    contract: 'Merchant contract', acceptContract: 'Accept the merchant contract', acceptedOn: 'Accepted on', notAccepted: 'Not accepted yet',
    deposit: 'Deposit', depositRequired: 'Required', depositBalance: 'Balance', topUpBefore: 'Top it up before', depositHint: 'Pay the deposit to the platform by bank transfer; it is recorded here once received.', noDeposit: 'This category needs no deposit.',
    ledger: 'Deposit ledger', movement: 'Movement', amount: 'Amount', reference: 'Reference', date: 'Date', paid: 'Paid', deducted: 'Deducted', refunded: 'Refunded',
    payout: 'Payout account', payoutRequired: 'Required for this category; the platform records its status at the payment provider.', payoutNotRequired: 'Not required for this category.',
  },
  'zh-CN': {
    title: '申请入驻', signUp: '注册', confirm: '验证邮箱', signIn: '登录', signOut: '退出', name: '姓名', email: '邮箱', password: '密码', token: '邮件中的验证码',
    sent: '验证码已发送到您的邮箱，请粘贴到下方。', mine: '我的申请', start: '新建申请', category: '类目', storeName: '店铺名称', storeSlug: '店铺地址（slug）',
    open: '查看', company: '公司信息', legalName: '公司名称', registrationNumber: '统一社会信用代码', registeredAddress: '注册地址', country: '国家（ISO 代码）', brand: '品牌信息', brandName: '品牌名称',
    trademarkNumber: '商标注册号', trademarkType: '商标类型', owner: '商标所有人', save: '保存', saved: '已保存', checklist: '资质清单', item: '项目', status: '状态', why: '需修改的内容',
    documents: '文件', requirement: '对应项目', file: '文件（PDF、JPG 或 PNG）', expires: '有效期至', upload: '上传', attest: '我接受条款', submit: '提交审核', resubmit: '重新提交',
    reopen: '基于此申请重新开始', refused: '被驳回的项目', notes: '审核员的留言', none: '没有被驳回的项目',
    opening: '开店', openingHint: '您的申请已通过。接受商家协议、缴足保证金，并在类目要求时收款账户已激活后，店铺即可开业。',
    openBefore: '开店截止时间', storeOpen: '您的店铺已开业。', stillNeeded: '尚需完成', need_contract: '接受商家协议', need_deposit: '缴纳保证金', need_payout_account: '激活收款账户',
    contract: '商家协议', acceptContract: '接受商家协议', acceptedOn: '接受时间', notAccepted: '尚未接受',
    deposit: '保证金', depositRequired: '应缴金额', depositBalance: '当前余额', topUpBefore: '补缴截止时间', depositHint: '请通过银行转账向平台缴纳保证金，平台收到后会记录在此。', noDeposit: '该类目无需缴纳保证金。',
    ledger: '保证金明细', movement: '类型', amount: '金额', reference: '凭证号', date: '日期', paid: '缴纳', deducted: '扣除', refunded: '退还',
    payout: '收款账户', payoutRequired: '该类目需要收款账户，平台会记录其在支付服务商处的状态。', payoutNotRequired: '该类目无需收款账户。',
  },
  ja: {
    title: '出店申請', signUp: '新規登録', confirm: 'メールアドレスの確認', signIn: 'ログイン', signOut: 'ログアウト', name: 'お名前', email: 'メールアドレス', password: 'パスワード', token: 'メールに記載の確認コード',
    sent: '確認コードをメールでお送りしました。下に貼り付けてください。', mine: '自分の申請', start: '申請を始める', category: 'カテゴリ', storeName: 'ストア名', storeSlug: 'ストアのアドレス（スラッグ）',
    open: '開く', company: '会社情報', legalName: '正式な会社名', registrationNumber: '法人番号', registeredAddress: '登記上の住所', country: '国（ISO コード）', brand: 'ブランド', brandName: 'ブランド名',
    trademarkNumber: '商標登録番号', trademarkType: '商標の種類', owner: '商標権者', save: '保存', saved: '保存しました', checklist: 'チェックリスト', item: '項目', status: '状態', why: '修正が必要な内容',
    documents: '書類', requirement: '対象の項目', file: 'ファイル（PDF、JPG、PNG）', expires: '有効期限', upload: 'アップロード', attest: '規約に同意します', submit: '審査に提出', resubmit: '再提出',
    reopen: 'この申請をもとにやり直す', refused: '差し戻された項目', notes: '審査担当者からのメッセージ', none: '差し戻された項目はありません',
    opening: 'ストアを開く', openingHint: '申請は承認されました。出店契約への同意、保証金の入金、カテゴリで必要な場合は受取口座の有効化が済むとストアが開きます。',
    openBefore: '開店期限', storeOpen: 'ストアは開店しています。', stillNeeded: '残りの手続き', need_contract: '出店契約への同意', need_deposit: '保証金の入金', need_payout_account: '受取口座の有効化',
    contract: '出店契約', acceptContract: '出店契約に同意する', acceptedOn: '同意日時', notAccepted: 'まだ同意していません',
    deposit: '保証金', depositRequired: '必要額', depositBalance: '残高', topUpBefore: '補充期限', depositHint: '保証金は銀行振込でプラットフォームにお支払いください。入金が確認されるとここに記録されます。', noDeposit: 'このカテゴリでは保証金は不要です。',
    ledger: '保証金の明細', movement: '種別', amount: '金額', reference: '参照番号', date: '日付', paid: '入金', deducted: '控除', refunded: '返金',
    payout: '受取口座', payoutRequired: 'このカテゴリでは必要です。決済事業者での状態はプラットフォームが記録します。', payoutNotRequired: 'このカテゴリでは不要です。',
  },
};
type T = (typeof TEXT)['en'];

function token(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

async function call<R>(method: string, path: string, opts: { body?: unknown; raw?: { data: Blob; type: string }; lang: string } = { lang: 'en' }): Promise<R> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': opts.lang };
  const t = token();
  if (t) headers.authorization = `Bearer ${t}`;
  let body: BodyInit | undefined;
  if (opts.raw) {
    body = opts.raw.data;
    headers['content-type'] = opts.raw.type;
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${BASE}${path}`, { method, headers, body });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) throw new ApiError((data ?? { title: res.statusText, status: res.status }) as Problem);
  return data as R;
}

export default function ApplicantPage() {
  const { i18n } = useTranslation();
  const text = pickPluginText(TEXT, i18n.language);
  const [signedIn, setSignedIn] = useState(() => Boolean(token()));
  const signOut = () => {
    sessionStorage.removeItem(KEY);
    setSignedIn(false);
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{text.title}</Title>
        {signedIn && <Button variant="default" onClick={signOut}>{text.signOut}</Button>}
      </Group>
      {signedIn ? <Applications text={text} lang={i18n.language} /> : <Account text={text} lang={i18n.language} onSession={() => setSignedIn(true)} />}
    </Stack>
  );
}

function Account({ text, lang, onSession }: { text: T; lang: string; onSession: () => void }) {
  const [mode, setMode] = useState<'signUp' | 'confirm' | 'signIn'>('signUp');
  const [form, setForm] = useState({ name: '', email: '', password: '', token: '' });
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });
  const session = (s: { token: string }) => {
    sessionStorage.setItem(KEY, s.token);
    onSession();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      if (mode === 'signUp') {
        await call('POST', '/signup', { body: { name: form.name, email: form.email, password: form.password }, lang });
        setMode('confirm');
      } else if (mode === 'confirm') session(await call<{ token: string }>('POST', '/confirm', { body: { token: form.token.trim() }, lang }));
      else session(await call<{ token: string }>('POST', '/login', { body: { email: form.email, password: form.password }, lang }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} data-testid="applicant-account">
      <Stack maw={420}>
        <Group gap="xs">
          {(['signUp', 'confirm', 'signIn'] as const).map((m) => (
            <Button key={m} size="compact-sm" variant={mode === m ? 'filled' : 'default'} onClick={() => setMode(m)} type="button">{text[m]}</Button>
          ))}
        </Group>
        {mode === 'confirm' && <Text size="sm">{text.sent}</Text>}
        {mode === 'signUp' && <TextInput label={text.name} value={form.name} onChange={set('name')} required maxLength={200} />}
        {mode !== 'confirm' && <TextInput label={text.email} type="email" value={form.email} onChange={set('email')} required />}
        {mode !== 'confirm' && <PasswordInput label={text.password} value={form.password} onChange={set('password')} required minLength={mode === 'signUp' ? 10 : 1} />}
        {mode === 'confirm' && <TextInput label={text.token} value={form.token} onChange={set('token')} required />}
        {error ? <ErrorAlert error={error} /> : null}
        <Button type="submit">{text[mode]}</Button>
      </Stack>
    </form>
  );
}

function Applications({ text, lang }: { text: T; lang: string }) {
  const qc = useQueryClient();
  const [chosen, setChosen] = useState<string | null>(null);
  const [draft, setDraft] = useState({ category: 'cn-general', storeName: '', storeSlug: '' });
  const [error, setError] = useState<unknown>(null);
  const list = useQuery({ queryKey: ['applicant', 'applications'], queryFn: () => call<{ items: { id: string; status: string; storeName: string; storeSlug: string; updatedAt: string }[] }>('GET', '/applications', { lang }) });
  const start = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const made = await call<App>('POST', '/applications', { body: draft, lang });
      await qc.invalidateQueries({ queryKey: ['applicant'] });
      setChosen(made.id);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack>
      <Title order={2}>{text.mine}</Title>
      {list.isPending ? <Loading /> : list.error ? <ErrorAlert error={list.error} /> : (
        <ScrollTable label={text.mine}>
          <Table.Tbody>
            {list.data.items.length === 0 && <EmptyRow cols={4} />}
            {list.data.items.map((a) => (
              <Table.Tr key={a.id} data-testid={`my-application-${a.storeSlug}`}>
                <Table.Td><Data>{a.storeName}</Data></Table.Td>
                <Table.Td><StatusBadge status={a.status} /></Table.Td>
                <Table.Td><DateText value={a.updatedAt} /></Table.Td>
                <Table.Td><Button size="compact-xs" variant="default" onClick={() => setChosen(a.id)}>{text.open}</Button></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      <form onSubmit={(e) => void start(e)}>
        <Group align="end">
          <TextInput label={text.category} value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.currentTarget.value })} required maxLength={64} />
          <TextInput label={text.storeName} value={draft.storeName} onChange={(e) => setDraft({ ...draft, storeName: e.currentTarget.value })} required maxLength={200} />
          <TextInput label={text.storeSlug} value={draft.storeSlug} onChange={(e) => setDraft({ ...draft, storeSlug: e.currentTarget.value.toLowerCase() })} required maxLength={63} />
          <Button type="submit">{text.start}</Button>
        </Group>
      </form>
      {error ? <ErrorAlert error={error} /> : null}
      {chosen && <Application key={chosen} id={chosen} text={text} lang={lang} />}
    </Stack>
  );
}

const COMPANY = ['legalName', 'registrationNumber', 'registeredAddress', 'country'] as const;
const BRAND = [['name', 'brandName'], ['trademarkNumber', 'trademarkNumber'], ['owner', 'owner']] as const;

function Application({ id, text, lang }: { id: string; text: T; lang: string }) {
  const qc = useQueryClient();
  const app = useQuery({ queryKey: ['applicant', 'application', id], queryFn: () => call<App>('GET', `/applications/${id}`, { lang }) });
  const [company, setCompany] = useState<Record<string, string> | null>(null);
  const [brand, setBrand] = useState<Record<string, string> | null>(null);
  const [requirement, setRequirement] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [expires, setExpires] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  if (app.isPending) return <Loading />;
  if (app.error) return <ErrorAlert error={app.error} />;
  const a = app.data;
  const c = company ?? { ...(a.data.company ?? {}) };
  const b = brand ?? { trademarkType: 'R', ...(a.data.brand ?? {}) };
  const editable = a.status === 'draft' || a.status === 'needs_info';
  const run = async (f: () => Promise<unknown>) => {
    setError(null);
    setSaved(false);
    try {
      await f();
      await qc.invalidateQueries({ queryKey: ['applicant'] });
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };
  const filled = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ''));
  const save = async () => {
    if (await run(() => call('PATCH', `/applications/${id}`, { body: { data: { company: filled(c), brand: filled(b) } }, lang }))) setSaved(true);
  };
  const docItems = a.checklist.filter((i) => i.kind === 'verified');
  const upload = () => run(async () => {
    if (!file) return;
    const q = new URLSearchParams({ requirement: requirement || docItems[0]?.id || '', filename: file.name });
    if (expires) q.set('expiresAt', new Date(`${expires}T00:00:00Z`).toISOString());
    await call('POST', `/applications/${id}/documents?${q}`, { raw: { data: file, type: file.type || 'application/octet-stream' }, lang });
    setFile(null);
  });
  const refused = a.checklist.filter((i) => i.status === 'rejected' || i.reasons.length);
  const notes = a.decisions.filter((d) => d.externalNote || d.reasons.length);
  return (
    <Stack data-testid="my-application">
      <Title order={2}>
        <Data>{a.storeName}</Data> <StatusBadge status={a.status} />
      </Title>
      {a.storeId && <Opening app={a} text={text} lang={lang} run={run} />}
      <ErrorOrNothing error={a.storeId ? error : null} />
      <Title order={3}>{text.refused}</Title>
      {refused.length === 0 ? <Text size="sm">{text.none}</Text> : (
        <Alert color="orange" data-testid="refused">
          <Stack gap={4}>
            {refused.map((i) => <Text key={i.id} size="sm" data-testid={`refused-${i.id}`}><strong>{i.label}</strong>: {i.reasons.join(', ')}{i.note ? ` — ${i.note}` : ''}</Text>)}
          </Stack>
        </Alert>
      )}
      {notes.length > 0 && (
        <>
          <Title order={4}>{text.notes}</Title>
          {notes.map((d, n) => <Text key={n} size="sm"><DateText value={d.createdAt} /> {d.externalNote}</Text>)}
        </>
      )}
      <Title order={3}>{text.company}</Title>
      <Group>
        {COMPANY.map((k) => <TextInput key={k} label={text[k]} value={c[k] ?? ''} disabled={!editable} onChange={(e) => setCompany({ ...c, [k]: e.currentTarget.value })} maxLength={500} />)}
      </Group>
      <Title order={3}>{text.brand}</Title>
      <Group>
        {BRAND.map(([k, label]) => <TextInput key={k} label={text[label]} value={b[k] ?? ''} disabled={!editable} onChange={(e) => setBrand({ ...b, [k]: e.currentTarget.value })} maxLength={300} />)}
        <NativeSelect label={text.trademarkType} value={b.trademarkType ?? 'R'} disabled={!editable} onChange={(e) => setBrand({ ...b, trademarkType: e.currentTarget.value })} data={['R', 'TM']} />
      </Group>
      {editable && <Group><Button onClick={() => void save()} data-testid="save">{text.save}</Button>{saved && <Badge color="teal.9" variant="light">{text.saved}</Badge>}</Group>}
      <Title order={3}>{text.checklist}</Title>
      <ScrollTable label={text.checklist}>
        <Table.Thead><Table.Tr><Table.Th>{text.item}</Table.Th><Table.Th>{text.status}</Table.Th><Table.Th>{text.why}</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {a.checklist.map((i) => (
            <Table.Tr key={i.id} data-testid={`check-${i.id}`}>
              <Table.Td><Data>{i.label}</Data></Table.Td>
              <Table.Td><StatusBadge status={i.status} /></Table.Td>
              <Table.Td><Data>{[...i.problems, ...i.reasons].join(', ')}</Data></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ScrollTable>
      <Title order={3}>{text.documents}</Title>
      <Text size="sm"><Data>{a.documents.map((d) => `${d.requirementId}: ${d.filename}`).join(' · ') || '—'}</Data></Text>
      {editable && (
        <Group align="end">
          <NativeSelect label={text.requirement} value={requirement || docItems[0]?.id} onChange={(e) => setRequirement(e.currentTarget.value)} data={docItems.map((i) => ({ value: i.id, label: i.label }))} />
          <FileInput label={text.file} value={file} onChange={setFile} accept="application/pdf,image/jpeg,image/png" clearable />
          <TextInput label={text.expires} type="date" value={expires} onChange={(e) => setExpires(e.currentTarget.value)} />
          <Button onClick={() => void upload()} disabled={!file} data-testid="upload">{text.upload}</Button>
        </Group>
      )}
      <ErrorOrNothing error={a.storeId ? null : error} />
      <Group>
        {editable && a.checklist.some((i) => i.kind === 'attested' && i.status !== 'complete' && i.status !== 'accepted') && (
          <Button variant="default" onClick={() => void run(async () => {
            for (const i of a.checklist.filter((x) => x.kind === 'attested')) await call('POST', `/applications/${id}/attestations`, { body: { requirementId: i.id }, lang });
          })} data-testid="attest">{text.attest}</Button>
        )}
        {editable && <Button onClick={() => void run(() => call('POST', `/applications/${id}/submit`, { body: {}, lang }))} data-testid="submit">{a.status === 'needs_info' ? text.resubmit : text.submit}</Button>}
        {a.status === 'rejected' && <Button variant="default" onClick={() => void run(() => call('POST', `/applications/${id}/reopen`, { body: {}, lang }))}>{text.reopen}</Button>}
      </Group>
    </Stack>
  );
}

/** An approved application's store: what still keeps it from opening, the contract, the deposit ledger, the payout account. */
function Opening({ app: a, text, lang, run }: { app: App; text: T; lang: string; run: (f: () => Promise<unknown>) => Promise<boolean> }) {
  const ledger = useQuery({ queryKey: ['applicant', 'deposits', a.id], queryFn: () => call<Ledger>('GET', `/applications/${a.id}/deposits`, { lang }), enabled: Boolean(a.deposit) });
  const missing = [
    ...(a.contractAcceptedAt ? [] : (['need_contract'] as const)),
    ...(a.deposit && a.deposit.balance < a.deposit.required ? (['need_deposit'] as const) : []),
    ...(a.payoutAccount.required && a.payoutAccount.status !== 'active' ? (['need_payout_account'] as const) : []),
  ];
  return (
    <Stack data-testid="opening" gap="sm">
      <Title order={3}>{text.opening}</Title>
      {a.activatedAt ? (
        <Alert color="teal" data-testid="store-open"><Group gap="xs"><Text size="sm">{text.storeOpen}</Text>{a.store?.status && <StatusBadge status={a.store.status} />}</Group></Alert>
      ) : (
        <>
          <Text size="sm">{text.openingHint}</Text>
          {a.activationDueAt && <Text size="sm" data-testid="open-before">{text.openBefore} <DateText value={a.activationDueAt} /></Text>}
          {missing.length > 0 && <Text size="sm" data-testid="still-needed">{text.stillNeeded} {missing.map((m) => text[m]).join(' · ')}</Text>}
        </>
      )}
      <Title order={4}>{text.contract}</Title>
      <Group data-testid="contract">
        {a.contractAcceptedAt ? <Text size="sm">{text.acceptedOn} <DateText value={a.contractAcceptedAt} /></Text> : <Text size="sm">{text.notAccepted}</Text>}
        {!a.contractAcceptedAt && a.status === 'approved' && <Button onClick={() => void run(() => call('POST', `/applications/${a.id}/accept-contract`, { body: {}, lang }))} data-testid="accept-contract">{text.acceptContract}</Button>}
      </Group>
      <Title order={4}>{text.deposit}</Title>
      {!a.deposit ? <Text size="sm">{text.noDeposit}</Text> : (
        <Stack gap="xs" data-testid="deposit">
          <Group>
            <Text size="sm">{text.depositRequired} <Money amount={a.deposit.required} currency={a.deposit.currency} /></Text>
            <Text size="sm" data-testid="deposit-balance">{text.depositBalance} <Money amount={a.deposit.balance} currency={a.deposit.currency} /></Text>
            {a.deposit.topUpDueAt && <Text size="sm" c="orange.9">{text.topUpBefore} <DateText value={a.deposit.topUpDueAt} /></Text>}
          </Group>
          <Text size="sm">{text.depositHint}</Text>
          {ledger.isPending ? <Loading /> : ledger.error ? <ErrorAlert error={ledger.error} /> : (
            <ScrollTable label={text.ledger}>
              <Table.Thead><Table.Tr><Table.Th>{text.date}</Table.Th><Table.Th>{text.movement}</Table.Th><Table.Th>{text.amount}</Table.Th><Table.Th>{text.reference}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {ledger.data.items.length === 0 && <EmptyRow cols={4} />}
                {ledger.data.items.map((d) => (
                  <Table.Tr key={d.id} data-testid={`deposit-${d.type}`}>
                    <Table.Td><DateText value={d.createdAt} /></Table.Td>
                    <Table.Td>{text[d.type]}</Table.Td>
                    <Table.Td><Money amount={d.type === 'paid' ? d.amount : -d.amount} currency={d.currency} /></Table.Td>
                    <Table.Td><Data>{d.reference ?? ''}</Data></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </ScrollTable>
          )}
        </Stack>
      )}
      <Title order={4}>{text.payout}</Title>
      <Group data-testid="payout">
        <StatusBadge status={a.payoutAccount.status} />
        <Text size="sm">{a.payoutAccount.required ? text.payoutRequired : text.payoutNotRequired}</Text>
      </Group>
    </Stack>
  );
}

function ErrorOrNothing({ error }: { error: unknown }) {
  return error ? <ErrorAlert error={error} /> : null;
}
