// The request filter's console pages (loaded by the admin console, only for stores where the
// filter is on) and the labels of its settings form in the console's languages.
import { defineConsole } from '@bazaar/console';

export default defineConsole({
  plugin: 'waf',
  pages: [{ path: 'events', label: { en: 'Request filter', 'zh-CN': '请求过滤', ja: 'リクエストフィルター' }, permission: 'waf:read', load: () => import('./EventsPage') }],
  settingsLabels: {
    en: {
      mode: { title: 'Mode', description: 'Block: refuse with 403. Monitor: let the request through and record an alert.' },
      paranoia: { title: 'Paranoia level', description: 'Higher levels add stricter rules (and more false positives).' },
      threshold: { title: 'Threshold', description: 'Anomaly score at which a request is blocked (one critical rule scores 5).' },
      exclusions: { title: 'Exclusions' },
      rateLimits: { title: 'Rate limits' },
      ipAllow: { title: 'Allowed addresses' },
      ipDeny: { title: 'Denied addresses' },
    },
    ja: {
      mode: { title: 'モード', description: 'ブロック：403 で拒否します。監視：リクエストを通し、警告を記録します。' },
      paranoia: { title: '厳格さのレベル', description: 'レベルが高いほど厳しいルールが加わります（誤検知も増えます）。' },
      threshold: { title: 'しきい値', description: 'リクエストをブロックする異常スコア（重大なルール 1 件で 5 点）。' },
      exclusions: { title: '除外' },
      rateLimits: { title: 'レート制限' },
      ipAllow: { title: '許可するアドレス' },
      ipDeny: { title: '拒否するアドレス' },
    },
    'zh-CN': {
      mode: { title: '模式', description: '拦截：以 403 拒绝；监控：放行请求并记录告警。' },
      paranoia: { title: '严格级别', description: '级别越高，规则越严格（误报也越多）。' },
      threshold: { title: '阈值', description: '请求被拦截的异常分数（一条严重规则计 5 分）。' },
      exclusions: { title: '排除项' },
      rateLimits: { title: '限流' },
      ipAllow: { title: '放行地址' },
      ipDeny: { title: '禁止地址' },
    },
  },
});
