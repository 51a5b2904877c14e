// Every *.sweep.ts fixture, imported statically (the sweep test checks this list is complete).
import './users/users.sweep.js';
import './catalog/catalog.sweep.js';
import './orders/orders.sweep.js';
import './plugins/plugins.sweep.js';
import './plugins/waf/waf.sweep.js';
import './plugins/payments/payments.sweep.js';
import './plugins/cross-border/cross-border.sweep.js';
import './plugins/onboarding/onboarding.sweep.js';
import './plugins/logistics/logistics.sweep.js';
import './plugins/membership/membership.sweep.js';
import './catalog/imports.sweep.js';
