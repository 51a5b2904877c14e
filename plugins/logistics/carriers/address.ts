export type { Address } from '@bazaar/sdk';
