// The membership widget on a customer's page (zone customer.details.main): the customer's tier,
// points and growth, from GET /admin/v1/membership/members?customerId=, with a link to their
// member record on the Members page.
import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { storeApi, useSession, AnchorLink, Data, ErrorAlert, Loading, type Page, type WidgetProps } from '@bazaar/console';
import { useText } from './text';

interface MemberRow {
  id: string;
  tierName: string | null;
  pointsAvailable: number;
  pointsPending: number;
  pointsHeld: number;
  growthTotal: number;
}

export default function CustomerWidget({ entityId }: WidgetProps) {
  const text = useText();
  const session = useSession('store');
  const q = useQuery({
    queryKey: ['store', session?.tenant, 'membership-customer', entityId],
    queryFn: () => storeApi<Page<MemberRow>>('GET', '/membership/members', { query: { customerId: entityId, limit: 1 } }),
    enabled: Boolean(entityId),
  });
  return (
    <Card withBorder data-testid="membership-widget">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">{text.membership}</Title>
        {q.data?.items[0] && (
          <AnchorLink to="/store/ext/$plugin/$page" params={{ plugin: 'membership', page: 'members' }} size="sm">
            {text.openMember}
          </AnchorLink>
        )}
      </Group>
      {q.isPending ? <Loading /> : q.error ? <ErrorAlert error={q.error} /> : q.data.items[0] ? <Figures m={q.data.items[0]} /> : <Text size="sm" data-testid="membership-none">{text.notMember}</Text>}
    </Card>
  );
}

function Figures({ m }: { m: MemberRow }) {
  const text = useText();
  const figures: [string, string | number, string][] = [
    [text.tier, m.tierName ?? text.noTier, 'membership-tier'],
    [text.available, m.pointsAvailable, 'membership-available'],
    [text.pending, m.pointsPending, 'membership-pending'],
    [text.held, m.pointsHeld, 'membership-held'],
    [text.lifetime, m.growthTotal, 'membership-growth'],
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 5 }}>
      {figures.map(([label, value, id]) => (
        <Stack gap={0} key={id}>
          <Text size="sm" c="dimmed">{label}</Text>
          <Text fw={600} data-testid={id}>
            <Data>{value}</Data>
          </Text>
        </Stack>
      ))}
    </SimpleGrid>
  );
}
