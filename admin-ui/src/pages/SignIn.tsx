import { AnchorLink } from '../components';
// Sign-in for both consoles on one page: a store's staff and a platform admin can be signed in
// at the same time (one token each), e.g. a platform admin who also runs a store.
import { useState } from 'react';
import { Button, Card, Container, Group, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from 'react-hook-form';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { setSession, type Scope } from '../session';
import { queryClient } from '../query';
import { ErrorAlert, Data } from '../components';
import { LanguageSwitch, useSession } from '../layout/Shell';

interface Fields {
  tenant: string;
  email: string;
  password: string;
}

function SignInCard({ scope, autoFocus }: { scope: Scope; autoFocus: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession(scope);
  const [error, setError] = useState<unknown>(null);
  const { register, handleSubmit, formState } = useForm<Fields>({ defaultValues: { tenant: '', email: '', password: '' } });
  const home = scope === 'store' ? '/store' : '/platform';
  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    try {
      const body = scope === 'store' ? { tenant: v.tenant.trim(), email: v.email.trim(), password: v.password } : { email: v.email.trim(), password: v.password };
      const res = await api<{ token: string; expiresAt: string }>(scope, 'POST', scope === 'store' ? '/admin/v1/auth/login' : '/platform/v1/auth/login', { body, anonymous: true });
      // A second store joins the switcher; nothing cached of the store before shows in it.
      if (scope === 'store') queryClient.removeQueries({ queryKey: ['store'] });
      setSession(scope, { token: res.token, expiresAt: res.expiresAt, email: v.email.trim(), tenant: scope === 'store' ? v.tenant.trim() : undefined });
      await navigate({ to: home });
    } catch (err) {
      setError(err);
    }
  });
  const id = (f: string) => `${scope}-${f}`;
  const required = { required: t('forms.required') };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id('title')} data-testid={`sign-in-${scope}`}>
      <Title order={2} size="h3" id={id('title')} mb="sm">
        {t(scope === 'store' ? 'signIn.store' : 'signIn.platform')}
      </Title>
      {session && (
        <Group mb="sm" gap="xs">
          <Text size="sm">
            {t('signIn.signedIn')}: <Data>{session.email}</Data>
          </Text>
          <AnchorLink to={home} size="sm">
            {t('signIn.open')}
          </AnchorLink>
        </Group>
      )}
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          {scope === 'store' && <TextInput label={t('signIn.storeSlug')} autoComplete="organization" autoFocus={autoFocus} {...register('tenant', required)} error={formState.errors.tenant?.message} />}
          <TextInput label={t('signIn.email')} type="email" autoComplete="username" autoFocus={autoFocus && scope === 'platform'} {...register('email', required)} error={formState.errors.email?.message} />
          <PasswordInput visibilityToggleButtonProps={{ 'aria-label': t('app.showPassword') }} label={t('signIn.password')} autoComplete="current-password" {...register('password', required)} error={formState.errors.password?.message} />
          <ErrorAlert error={error} />
          <Button type="submit" loading={formState.isSubmitting}>
            {t('signIn.submit')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}

export default function SignIn() {
  const { t } = useTranslation();
  const { scope } = useSearch({ from: '/sign-in' });
  return (
    <Container size="md" py="xl" component="main">
      <Group justify="space-between" mb="md">
        <Title order={1} size="h2">
          {t('signIn.title')}
        </Title>
        <LanguageSwitch />
      </Group>
      <Text mb="lg">{t('signIn.intro')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <SignInCard scope="store" autoFocus={scope !== 'platform'} />
        <SignInCard scope="platform" autoFocus={scope === 'platform'} />
      </SimpleGrid>
    </Container>
  );
}
