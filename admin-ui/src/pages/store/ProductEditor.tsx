// A product: translations (any of the store's languages), status, attributes, categories, and
// variants with options, a price per store currency and stock per location.
import { useState } from 'react';
import { ActionIcon, Button, Card, Group, Modal, MultiSelect, NativeSelect, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title, Alert } from '@mantine/core';
import { useFieldArray, useForm, Controller } from 'react-hook-form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { storeApi, type Page } from '../../api';
import { ServerTable } from '../../list';
import { useSession } from '../../layout/Shell';
import { useMe } from '../../layout/Consoles';
import { allows } from '../../perms';
import { WidgetZone } from '../../widgets';
import { Data, ErrorAlert, Loading, Money, PageTitle, StatusBadge, minorDigits, ScrollTable } from '../../components';
import { useStoreInfo } from './store-info';
import { categoryName, useCategories } from './Products';

interface Price {
  currency: string;
  amount: number;
  compareAtAmount: number | null;
}
interface Variant {
  id: string;
  sku: string;
  options: Record<string, string>;
  status: string;
  prices: Price[];
  stock: { onHand: number; reserved: number; available: number };
}
interface Product {
  id: string;
  status: string;
  translations: Record<string, { name: string; slug: string; description: string }>;
  attributes: Record<string, unknown>;
  categoryIds: string[];
  variantCount: number;
}

/** Variants the editor shows at a time (UI-5: a detail page loads its variants paged). */
const VARIANTS_PER_PAGE = 20;

interface VariantFields {
  id?: string;
  sku: string;
  options: string;
  prices: Record<string, number | string>;
  stock: number | string;
}
interface Fields {
  status: string;
  translations: { locale: string; name: string; description: string; slug: string }[];
  attributes: { key: string; value: string }[];
  categoryIds: string[];
  variants: VariantFields[];
}

const LOCALES = ['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'fr', 'de', 'es', 'it', 'pt', 'ru'];

export function parseOptions(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(/[,，;；]/)) {
    const [k, ...rest] = part.split(/[=:：]/);
    const v = rest.join('=').trim();
    if (k?.trim() && v) out[k.trim()] = v;
  }
  return out;
}
const optionsText = (o: Record<string, string>) =>
  Object.entries(o)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
const toMinor = (v: number | string, currency: string) => Math.round(Number(v) * 10 ** minorDigits(currency));
const fromMinor = (v: number, currency: string) => v / 10 ** minorDigits(currency);
/** A 202 from an edit of a live product: a plugin took it as a change request to review. */
const isHeld = (r: unknown) => Boolean(r && typeof r === 'object' && 'held' in r);

function StockDialog({ variant, onClose }: { variant: Variant | null; onClose: () => void }) {
  const { t } = useTranslation();
  const session = useSession('store');
  const qc = useQueryClient();
  const [delta, setDelta] = useState<number | string>('');
  const [locationId, setLocationId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const stock = useQuery({
    queryKey: ['store', session?.tenant, 'stock', variant?.id],
    queryFn: () => storeApi<{ locations: { locationId: string; onHand: number; reserved: number; available: number; isDefault?: boolean }[] }>('GET', `/variants/${variant!.id}/stock`),
    enabled: Boolean(variant),
  });
  const locations = useQuery({
    queryKey: ['store', session?.tenant, 'locations'],
    queryFn: () => storeApi<{ items: { id: string; code: string; name: string; isDefault: boolean }[] }>('GET', '/stock-locations', { query: { limit: 100 } }),
    enabled: Boolean(variant),
  });
  const nameOf = (id: string) => locations.data?.items.find((l) => l.id === id)?.name ?? id;
  const adjust = async () => {
    setError(null);
    try {
      await storeApi('POST', `/variants/${variant!.id}/stock/adjustments`, { body: { delta: Number(delta), reason: Number(delta) > 0 ? 'received' : 'correction', ...(locationId ? { locationId } : {}) } });
      setDelta('');
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Modal opened={Boolean(variant)} onClose={onClose} title={t('products.stockAt')} size="lg">
      {stock.isPending ? (
        <Loading />
      ) : (
        <Stack>
          <ScrollTable label={t('products.stockAt')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('products.location')}</Table.Th>
                <Table.Th>{t('products.onHand')}</Table.Th>
                <Table.Th>{t('products.reserved')}</Table.Th>
                <Table.Th>{t('products.available')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {stock.data?.locations.map((l) => (
                <Table.Tr key={l.locationId}>
                  <Table.Td>
                    <Data>{nameOf(l.locationId)}</Data>
                  </Table.Td>
                  <Table.Td>{l.onHand}</Table.Td>
                  <Table.Td>{l.reserved}</Table.Td>
                  <Table.Td>{l.available}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ScrollTable>
          <Group align="end">
            <Select label={t('products.location')} data={(locations.data?.items ?? []).map((l) => ({ value: l.id, label: l.name }))} value={locationId} onChange={setLocationId} clearable />
            <NumberInput label={t('products.delta')} value={delta} onChange={setDelta} allowDecimal={false} w={140} />
            <Button onClick={() => void adjust()} disabled={!delta || Number(delta) === 0}>
              {t('products.adjust')}
            </Button>
          </Group>
          <ErrorAlert error={error} />
        </Stack>
      )}
    </Modal>
  );
}

function Editor({ product, currencies, defaultLocale }: { product: Product | null; currencies: string[]; defaultLocale: string }) {
  const { t, i18n } = useTranslation();
  const session = useSession('store');
  const me = useMe();
  const canWrite = allows(me.data?.permissions ?? [], 'catalog:write');
  const canStock = allows(me.data?.permissions ?? [], 'inventory:read');
  const qc = useQueryClient();
  const navigate = useNavigate();
  const categories = useCategories();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  // A plugin (onboarding's change review) may hold an edit of a live product: the API answers 202 with `held`.
  const [held, setHeld] = useState(false);
  const [stockOf, setStockOf] = useState<Variant | null>(null);
  const { control, register, handleSubmit, formState } = useForm<Fields>({
    defaultValues: {
      status: product?.status ?? 'draft',
      translations: product ? Object.entries(product.translations).map(([locale, tr]) => ({ locale, name: tr.name, description: tr.description, slug: tr.slug })) : [{ locale: defaultLocale, name: '', description: '', slug: '' }],
      attributes: product ? Object.entries(product.attributes).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) })) : [],
      categoryIds: product?.categoryIds ?? [],
      variants: product ? [] : [{ sku: '', options: '', prices: {}, stock: '' }],
    },
  });
  const translations = useFieldArray({ control, name: 'translations' });
  const attributes = useFieldArray({ control, name: 'attributes' });
  const variants = useFieldArray({ control, name: 'variants' });

  const variantBody = (v: VariantFields) => ({
    sku: v.sku.trim(),
    options: parseOptions(v.options),
    prices: currencies.filter((c) => v.prices[c] !== '' && v.prices[c] !== undefined).map((c) => ({ currency: c, amount: toMinor(v.prices[c], c) })),
    ...(v.stock !== '' ? { stock: Number(v.stock) } : {}),
  });
  const attributesBody = (list: Fields['attributes']) => Object.fromEntries(list.filter((a) => a.key.trim()).map((a) => [a.key.trim(), a.value]));

  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    setSaved(false);
    setHeld(false);
    try {
      if (!product) {
        const body = {
          status: v.status,
          translations: Object.fromEntries(v.translations.map((tr) => [tr.locale, { name: tr.name, ...(tr.description ? { description: tr.description } : {}), ...(tr.slug ? { slug: tr.slug } : {}) }])),
          attributes: attributesBody(v.attributes),
          categoryIds: v.categoryIds,
          variants: v.variants.map(variantBody),
        };
        const created = await storeApi<Product>('POST', '/products', { body, idempotent: true });
        await qc.invalidateQueries({ queryKey: ['store', session?.tenant, 'products'] });
        await navigate({ to: '/store/products/$productId', params: { productId: created.id } });
        return;
      }
      const before = new Set(Object.keys(product.translations));
      const after = new Set(v.translations.map((tr) => tr.locale));
      const tr: Record<string, unknown> = Object.fromEntries(v.translations.map((x) => [x.locale, { name: x.name, description: x.description, ...(x.slug ? { slug: x.slug } : {}) }]));
      for (const l of before) if (!after.has(l)) tr[l] = null;
      let wasHeld = isHeld(await storeApi('PATCH', `/products/${product.id}`, { body: { status: v.status, translations: tr, attributes: attributesBody(v.attributes), categoryIds: v.categoryIds } }));
      for (const nv of v.variants) wasHeld = isHeld(await storeApi('POST', `/products/${product.id}/variants`, { body: variantBody(nv), idempotent: true })) || wasHeld;
      variants.replace([]);
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant] });
      setHeld(wasHeld);
      setSaved(!wasHeld);
    } catch (err) {
      setError(err);
    }
  });

  const [priceEdit, setPriceEdit] = useState<{ variant: Variant; currency: string; value: number | string } | null>(null);
  const savePrice = async () => {
    if (!priceEdit) return;
    setError(null);
    setSaved(false);
    try {
      setHeld(isHeld(await storeApi('PUT', `/variants/${priceEdit.variant.id}/prices/${priceEdit.currency}`, { body: { amount: toMinor(priceEdit.value, priceEdit.currency) } })));
      setPriceEdit(null);
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant, 'product', product?.id] });
    } catch (err) {
      setError(err);
    }
  };

  const required = { required: t('forms.required') };
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate>
      <Stack>
        <Card withBorder>
          <Group align="end">
            <NativeSelect label={t('common.status')} data={['draft', 'active', 'archived'].map((s) => ({ value: s, label: t(`status.${s}`) }))} {...register('status')} w={200} />
            <Controller
              control={control}
              name="categoryIds"
              render={({ field }) => (
                <MultiSelect label={t('products.categories')} data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: categoryName(c, i18n.language) }))} value={field.value} onChange={field.onChange} miw={240} clearable />
              )}
            />
          </Group>
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('products.translations')}
          </Title>
          <Stack>
            {translations.fields.map((f, i) => (
              <Card key={f.id} withBorder padding="sm" data-testid={`translation-${i}`}>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <NativeSelect label={t('products.locale')} data={[...new Set([...LOCALES, f.locale])]} {...register(`translations.${i}.locale`)} translate="no" />
                  <TextInput label={t('products.nameLabel')} {...register(`translations.${i}.name`, required)} error={formState.errors.translations?.[i]?.name?.message} />
                  <TextInput label={t('products.slug')} {...register(`translations.${i}.slug`)} />
                </SimpleGrid>
                <Textarea mt="xs" label={t('products.description')} autosize minRows={2} {...register(`translations.${i}.description`)} />
                {translations.fields.length > 1 && (
                  <Group justify="flex-end" mt="xs">
                    <Button variant="default" size="xs" onClick={() => translations.remove(i)}>
                      {t('common.remove')}
                    </Button>
                  </Group>
                )}
              </Card>
            ))}
            <Group>
              <Button variant="default" size="xs" onClick={() => translations.append({ locale: LOCALES.find((l) => !translations.fields.some((f) => f.locale === l)) ?? 'en', name: '', description: '', slug: '' })}>
                {t('products.addTranslation')}
              </Button>
            </Group>
          </Stack>
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('products.attributes')}
          </Title>
          <Stack gap="xs">
            {attributes.fields.map((f, i) => (
              <Group key={f.id} align="end">
                <TextInput label={t('products.attrKey')} {...register(`attributes.${i}.key`)} />
                <TextInput label={t('products.attrValue')} {...register(`attributes.${i}.value`)} />
                <Button variant="default" size="xs" onClick={() => attributes.remove(i)}>
                  {t('common.remove')}
                </Button>
              </Group>
            ))}
            <Group>
              <Button variant="default" size="xs" onClick={() => attributes.append({ key: '', value: '' })}>
                {t('products.addAttribute')}
              </Button>
            </Group>
          </Stack>
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('products.variants')}
          </Title>
          {product && (
            <ServerTable<Variant>
              label={t('products.variants')}
              queryKey={['store', session?.tenant, 'product', product.id, 'variants']}
              fetchPage={(cursor) => storeApi<Page<Variant>>('GET', `/products/${product.id}/variants`, { query: { cursor, limit: VARIANTS_PER_PAGE } })}
              columns={[
                { header: t('products.sku'), cell: (v) => <Data>{v.sku}</Data> },
                { header: t('products.options'), cell: (v) => <Data>{optionsText(v.options)}</Data> },
                ...currencies.map((c) => ({
                  header: t('products.price', { currency: c }),
                  cell: (v: Variant) => {
                    const p = v.prices.find((x) => x.currency === c);
                    return (
                      <Group gap={4} wrap="nowrap">
                        {p ? <Money amount={p.amount} currency={c} /> : <Text size="sm">–</Text>}
                        {canWrite && (
                          <ActionIcon variant="subtle" size="sm" aria-label={`${t('common.edit')} ${t('products.price', { currency: c })} ${v.sku}`} onClick={() => setPriceEdit({ variant: v, currency: c, value: p ? fromMinor(p.amount, c) : '' })}>
                            ✎
                          </ActionIcon>
                        )}
                      </Group>
                    );
                  },
                })),
                {
                  header: t('products.available'),
                  cell: (v) =>
                    canStock ? (
                      <Button variant="subtle" size="compact-sm" onClick={() => setStockOf(v)} aria-label={`${t('products.stockAt')} ${v.sku}`}>
                        {v.stock.available}
                      </Button>
                    ) : (
                      v.stock.available
                    ),
                },
                { header: t('common.status'), cell: (v) => <StatusBadge status={v.status} /> },
              ]}
            />
          )}
          <Stack mt="sm">
            {variants.fields.map((f, i) => (
              <Card key={f.id} withBorder padding="sm" data-testid={`variant-${i}`}>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <TextInput label={t('products.sku')} {...register(`variants.${i}.sku`, required)} error={formState.errors.variants?.[i]?.sku?.message} />
                  <TextInput label={t('products.options')} description={t('products.optionsHint')} {...register(`variants.${i}.options`)} />
                  <Controller control={control} name={`variants.${i}.stock`} render={({ field }) => <NumberInput label={t('products.initialStock')} min={0} allowDecimal={false} value={field.value} onChange={field.onChange} />} />
                  {currencies.map((c) => (
                    <Controller
                      key={c}
                      control={control}
                      name={`variants.${i}.prices.${c}`}
                      render={({ field }) => <NumberInput label={t('products.price', { currency: c })} min={0} decimalScale={minorDigits(c)} value={field.value ?? ''} onChange={field.onChange} />}
                    />
                  ))}
                </SimpleGrid>
                <Group justify="flex-end" mt="xs">
                  <Button variant="default" size="xs" onClick={() => variants.remove(i)}>
                    {t('common.remove')}
                  </Button>
                </Group>
              </Card>
            ))}
            {canWrite && (
              <Group>
                <Button variant="default" size="xs" onClick={() => variants.append({ sku: '', options: '', prices: {}, stock: '' })}>
                  {t('products.addVariant')}
                </Button>
              </Group>
            )}
          </Stack>
        </Card>
        <ErrorAlert error={error} />
        {saved && (
          <Alert color="teal" variant="light" role="status">
            {t('common.saved')}
          </Alert>
        )}
        {held && (
          <Alert color="blue" variant="light" role="status" data-testid="held-for-review">
            {t('products.held')}
          </Alert>
        )}
        {canWrite && (
          <Group>
            <Button type="submit" loading={formState.isSubmitting}>
              {product ? t('common.save') : t('common.create')}
            </Button>
          </Group>
        )}
      </Stack>
      <StockDialog variant={stockOf} onClose={() => setStockOf(null)} />
      <Modal opened={Boolean(priceEdit)} onClose={() => setPriceEdit(null)} title={priceEdit ? t('products.price', { currency: priceEdit.currency }) : ''}>
        {priceEdit && (
          <Stack>
            <NumberInput label={t('products.price', { currency: priceEdit.currency })} min={0} decimalScale={minorDigits(priceEdit.currency)} value={priceEdit.value} onChange={(value) => setPriceEdit({ ...priceEdit, value })} data-autofocus />
            <Button onClick={() => void savePrice()}>{t('common.save')}</Button>
          </Stack>
        )}
      </Modal>
    </form>
  );
}

export default function ProductEditor() {
  const { t } = useTranslation();
  const session = useSession('store');
  const { productId } = useParams({ strict: false }) as { productId?: string };
  const info = useStoreInfo();
  const product = useQuery({
    queryKey: ['store', session?.tenant, 'product', productId],
    queryFn: () => storeApi<Product>('GET', `/products/${productId}`, { query: { variants: 'none' } }),
    enabled: Boolean(productId),
  });
  if (info.isPending || (productId && product.isPending)) return <Loading />;
  if (info.error || product.error) return <ErrorAlert error={info.error ?? product.error} />;
  const p = productId ? (product.data ?? null) : null;
  const name = p ? (Object.values(p.translations)[0]?.name ?? '') : '';
  return (
    <>
      <PageTitle>
        {p ? (
          <>
            {t('products.editTitle')}: <Data>{name}</Data>
          </>
        ) : (
          t('products.newTitle')
        )}
      </PageTitle>
      <Editor key={p?.id ?? 'new'} product={p} currencies={info.data!.currencies} defaultLocale={info.data!.defaultLocale} />
      {p && <WidgetZone zone="product.details.main" entityId={p.id} />}
    </>
  );
}
