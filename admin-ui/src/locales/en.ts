// English strings of the console. zh-CN.ts has the same keys (the type checker says so).
const en = {
  app: { switchStore: 'Switch store', addStore: 'Sign in to another store', name: 'Bazaar', storeConsole: 'Store console', platformConsole: 'Platform console', language: 'Language', signOut: 'Sign out', signInOther: 'Sign in to the other console', menu: 'Menu', skip: 'Skip to content', forbidden: 'You do not have access to this page.', notFound: 'This page does not exist.', loading: 'Loading…', home: 'Back to the start', showPassword: 'Show or hide the password', close: 'Close' },
  nav: { dashboard: 'Dashboard', products: 'Products', orders: 'Orders', returns: 'Returns', customers: 'Customers', staff: 'Staff', apiKeys: 'API keys', plugins: 'Plugins', settings: 'Store settings', tenants: 'Stores', catalogue: 'Plugin catalogue', audit: 'Audit log', pluginPages: 'Extensions', admins: 'Platform admins' },
  signIn: {
    title: 'Sign in', store: 'Store staff', platform: 'Platform admin', storeSlug: 'Store', email: 'Email', password: 'Password', submit: 'Sign in',
    signedIn: 'Signed in', intro: 'Staff of a store and platform admins can be signed in at the same time.', open: 'Open the console',
  },
  common: {
    save: 'Save', saved: 'Saved', cancel: 'Cancel', create: 'Create', add: 'Add', remove: 'Remove', edit: 'Edit', next: 'Next page', previous: 'Previous page',
    status: 'Status', all: 'All', name: 'Name', email: 'Email', role: 'Role', created: 'Created', actions: 'Actions', none: 'Nothing here yet.', yes: 'Yes', no: 'No', filter: 'Filter', search: 'Search', error: 'Something went wrong', details: 'Details', back: 'Back', confirm: 'Confirm', currency: 'Currency', amount: 'Amount', total: 'Total', id: 'ID', page: 'Page {{n}}',
  },
  status: { terminated: 'Closed', draft: 'Draft', active: 'Active', archived: 'Archived', suspended: 'Suspended', placed: 'Placed', pending: 'Pending', paid: 'Paid', fulfilled: 'Fulfilled', shipped: 'Shipped', delivered: 'Delivered', completed: 'Completed', cancelled: 'Cancelled', refunded: 'Refunded', partially_refunded: 'Partly refunded', authorized: 'Authorized', captured: 'Captured', unpaid: 'Unpaid', partially_fulfilled: 'Partly fulfilled', requested: 'Requested', received: 'Received', enabled: 'On', disabled: 'Off', on_hold: 'On hold', voided: 'Voided', failed: 'Failed', partially_paid: 'Partly paid', partially_shipped: 'Partly shipped', returned: 'Returned', pending_payment: 'Awaiting payment', fulfilling: 'Fulfilling', approved: 'Approved', rejected: 'Rejected', disabled_staff: 'Disabled', succeeded: 'Succeeded', in_transit: 'In transit', processing: 'Processing' },
  dashboard: { title: 'Dashboard', ordersToday: 'Orders today', revenueToday: 'Revenue today', sales: 'Sales over the last 30 days', noSales: 'No sales yet.', recent: 'Latest orders' },
  products: {
    held: 'Sent for the platform\'s review: shoppers see the current version until it is approved.',
    title: 'Products', new: 'New product', variants: 'Variants', variantCount: '{{count}} variants', editTitle: 'Edit product', newTitle: 'New product', translations: 'Translations', locale: 'Language', nameLabel: 'Name', description: 'Description', slug: 'Slug',
    addTranslation: 'Add a translation', attributes: 'Attributes', attrKey: 'Attribute', attrValue: 'Value', addAttribute: 'Add an attribute', categories: 'Categories', sku: 'SKU', options: 'Options', optionsHint: 'For example: Size=M, Colour=Red', price: 'Price in {{currency}}',
    stock: 'Stock', initialStock: 'Stock at the default location', addVariant: 'Add a variant', created: 'Product created', stockAt: 'Stock per location', onHand: 'On hand', reserved: 'Reserved', available: 'Available', location: 'Location', adjust: 'Adjust', delta: 'Change', reason: 'Reason',
    importTitle: 'Import products', importHint: 'A CSV file with the import columns (see the README).', importFile: 'CSV file', importRun: 'Import', importDone: '{{imported}} imported, {{failed}} with errors', importProgress: '{{percent}}% read: {{products}} products so far, {{failed}} with errors', importFailed: 'The import stopped on an error; {{imported}} products were imported', importErrors: 'Rows with errors', filterCategory: 'Category', searchHint: 'A name in any language, or a SKU',
  },
  orders: {
    title: 'Orders', number: 'Order', placed: 'Placed', payment: 'Payment', customer: 'Customer', lines: 'Lines', quantity: 'Quantity', unitPrice: 'Unit price', timeline: 'Timeline', detail: 'Order #{{n}}',
    fulfil: 'Fulfil', ship: 'Ship', refund: 'Refund', carrier: 'Carrier', tracking: 'Tracking number', refundAmount: 'Amount to refund ({{currency}})', reasonLabel: 'Reason', done: 'Done', subtotal: 'Subtotal', shipping: 'Shipping', tax: 'Tax', return: 'Return', emailFilter: 'Customer email', confirmPayment: 'Confirm payment', deliver: 'Mark delivered', complete: 'Complete', hold: 'Hold', release: 'Release', cancel: 'Cancel order', shipments: 'Shipments', refunds: 'Refunds',
  },
  timeline: { placed: 'Placed', payment: 'Payment', fulfilment: 'Fulfilment', shipment: 'Shipment', refund: 'Refund', return: 'Return', note: 'Note', review: 'Review', status: 'Status change' },
  returns: {
    title: 'Returns', order: 'Order', approve: 'Approve', reject: 'Reject', receive: 'Goods received', refund: 'Refund', restock: 'Put the goods back in stock', refundAmount: 'Amount to refund ({{currency}})', refundHint: 'Leave empty to refund the returned lines\' share.', units: 'Units',
    reasons: { damaged: 'Damaged', defective: 'Defective', wrong_item: 'Wrong item', not_as_described: 'Not as described', no_longer_needed: 'No longer needed', other: 'Other' },
  },
  customers: { title: 'Customers', locale: 'Language', orders: 'Their orders', since: 'Customer since', orderCount: 'Orders', spent: 'Spent (cancelled orders left out)', lastOrder: 'Last order', addresses: 'Addresses used', shipping: 'Shipping address', billing: 'Billing address' },
  staff: { rolesTitle: 'Roles and what they may do', permissions: 'Permissions', everything: 'everything', title: 'Staff', invite: 'Add a staff member', password: 'Password (at least 12 characters)', roles: { owner: 'Owner', admin: 'Administrator', staff: 'Staff', viewer: 'Viewer' } },
  apiKeys: { title: 'API keys', create: 'Create an API key', name: 'Key name', created: 'Copy the key now: it is shown only once.', revoke: 'Revoke', prefix: 'Key' },
  plugins: {
    title: 'Plugins', enable: 'Enable', disable: 'Disable', settings: 'Settings', noSettings: 'This plugin has no settings.', secretSet: 'A value is stored (leave empty to keep it).', version: 'Version', saved: 'Settings saved',
    installed: 'Installed', install: 'Install', scope: 'Scope', availableTo: 'Available to', allowed: 'Allowed', permissions: 'Permissions',
  },
  settings: { title: 'Store settings', storeName: 'Store name', defaultLocale: 'Default language', defaultCurrency: 'Default currency', currencies: 'Currencies', taxMode: 'Tax mode', taxRate: 'Tax rate (basis points)' },
  tenants: {
    title: 'Stores', new: 'Create a store', slug: 'Address name (slug)', ownerEmail: 'Owner email', ownerPassword: 'Owner password', suspend: 'Suspend', resume: 'Resume', placement: 'Placement', plugins: 'Plugins this store may use', allow: 'Allow', deny: 'Deny', created: 'Store created', suspendConfirm: 'Suspend this store? Its customers and staff lose access until it is resumed.',
    terminate: 'Close for good', terminateConfirm: 'Close this store for good? Its customers and staff lose access and no one can open it again. A store with open orders or returns cannot be closed.', terminateSlug: 'Type the store’s address name ({{slug}}) to confirm', terminateReason: 'Reason (kept in the audit trail)', terminatedNote: 'This store is closed for good.',
  },
  admins: { title: 'Platform admins', add: 'Add a platform admin', password: 'First password', passwordHint: 'At least 10 characters. Hand it over yourself; they can sign in with it at once.', you: 'you', remove: 'Remove a platform admin', removeConfirm: 'Their sessions end at once. Remove' },
  audit: { title: 'Audit log', action: 'Action', actor: 'Actor', tenant: 'Store', at: 'When', entity: 'Entity', actionHint: 'Exact, or a beginning followed by *', actorType: 'Who', actorId: 'Actor ID', targetId: 'Entity ID', from: 'From', to: 'To (inclusive)', reason: 'Reason', requestId: 'Request ID', before: 'Before', after: 'After (what was asked)', export: 'Export CSV', entry: 'Audit entry', open: 'Details of {{action}}', actors: { staff: 'Staff', apiKey: 'API key', platform: 'Platform admin', system: 'System' } },
  fields: {
    email: 'Email', name: 'Name', password: 'Password', role: 'Role', slug: 'Address name (slug)', sku: 'SKU', amount: 'Amount', currency: 'Currency', currencies: 'Currencies',
    defaultCurrency: 'Default currency', defaultLocale: 'Default language', taxMode: 'Tax mode', taxRate: 'Tax rate', quantity: 'Quantity', reason: 'Reason', status: 'Status', locale: 'Language',
    description: 'Description', options: 'Options', prices: 'Prices', stock: 'Stock', translations: 'Translations', variants: 'Variants', categories: 'Categories', attributes: 'Attributes',
    placement: 'Placement', owner: 'Owner', scopes: 'Permissions', expiresAt: 'Expiry', carrier: 'Carrier', trackingNumber: 'Tracking number', lines: 'Lines', url: 'Address (URL)', events: 'Events',
    note: 'Note', title: 'Title', delta: 'Change', locationId: 'Location', restock: 'Put back in stock', plugins: 'Plugins',
  },
  forms: { required: 'Required', tooShort: 'Too short', invalid: 'Not valid', none: 'None' },
  widgets: { failed: 'This panel could not be shown.' },
  rjsf: {
    strings: { ArrayItemTitle: "Item", MissingItems: "Missing items definition", EmptyArray: "No items yet. Use the button below to add some.", YesLabel: "Yes", NoLabel: "No", CloseLabel: "Close", ErrorsLabel: "Errors", NewStringDefault: "New Value", AddButton: "Add", AddItemButton: "Add Item", CopyButton: "Copy", ExpandButton: "Expand Cycle", MoveDownButton: "Move down", MoveUpButton: "Move up", RemoveButton: "Remove", NowLabel: "Now", ClearLabel: "Clear", AriaDateLabel: "Select a date", PreviewLabel: "Preview", DecrementAriaLabel: "Decrease value by 1", IncrementAriaLabel: "Increase value by 1", OptionalObjectAdd: "Add data for optional field", OptionalObjectRemove: "Remove data for optional field", OptionalObjectEmptyMsg: "No data for optional field", Type: "Type", Value: "Value", ClearButton: "clear input", UnknownFieldType: "Unknown field type %1", OptionPrefix: "Option %1", TitleOptionPrefix: "%1 option %2", KeyLabel: "%1 Key", DeprecatedLabel: "%1 (deprecated)", CycleDetected: "Circular reference ($ref cycle) detected for field \"%1\". You may choose to expand to the next cycle break", InvalidObjectField: "Invalid \"%1\" object field configuration: _%2_.", UnsupportedField: "Unsupported field schema.", UnsupportedFieldWithId: "Unsupported field schema for field `%1`.", UnsupportedFieldWithReason: "Unsupported field schema: _%1_.", UnsupportedFieldWithIdAndReason: "Unsupported field schema for field `%1`: _%2_.", FilesInfo: "**%1** (%2, %3 bytes)" },
    errors: { required: "Required", minLength: "At least {{limit}} characters", maxLength: "At most {{limit}} characters", minimum: "At least {{limit}}", maximum: "At most {{limit}}", exclusiveMinimum: "More than {{limit}}", exclusiveMaximum: "Less than {{limit}}", multipleOf: "A multiple of {{multipleOf}}", pattern: "Not in the expected form", format: "Not in the expected format", type: "Not the expected kind of value", enum: "Pick one of the choices", const: "Not the expected value", minItems: "At least {{limit}} entries", maxItems: "At most {{limit}} entries", uniqueItems: "The entries must differ", minProperties: "At least {{limit}} fields", maxProperties: "At most {{limit}} fields", additionalProperties: "Not a known field", oneOf: "Fill in exactly one of the choices", anyOf: "Fill in one of the choices", invalid: "Not valid" },
  },
};

export default en;
export type Messages = typeof en;
