// The membership console pages' words in the console's languages (en is the fallback).
import { useTranslation } from 'react-i18next';

const en = {
  members: 'Members', search: 'Email, member id or referral code', find: 'Find', clear: 'Clear', email: 'Email', name: 'Name', tier: 'Tier', noTier: 'No tier', available: 'Available', pending: 'Pending', held: 'Held', debt: 'Debt',
  growth: 'Growth', lifetime: 'Lifetime growth', open: 'Open', member: 'Member', referralCode: 'Referral code', tierUntil: 'Tier guaranteed until', nextTier: 'Next tier', toGo: 'to go',
  pointsLedger: 'Points ledger', growthLedger: 'Growth ledger', tierHistory: 'Tier history', type: 'Type', reference: 'Reference', change: 'Change', at: 'When', note: 'Note',
  from: 'From', to: 'To', move: 'Move', reason: 'Reason', by: 'By', moves: { up: 'Up', down: 'Down', renew: 'Renewed', removed: 'Tier removed' }, reasons: { growth: 'Growth', term: 'End of term', reversal: 'Refund', config: 'Tier table changed' },
  adjust: 'Adjust by hand', points: 'Points', reasonCode: 'Reason code', adjustNote: 'Note (kept in the audit trail)', apply: 'Apply', applied: 'Applied', waiting: 'Above your daily cap: waiting for a second staff member',
  reasonCodes: { goodwill: 'Goodwill', correction: 'Correction', compensation: 'Compensation', migration: 'Migration', fraud_reversal: 'Fraud reversal', other: 'Other' },
  tiers: 'Tiers and benefits', rank: 'Rank', threshold: 'Growth threshold', entryReward: 'Entry reward (points)', discount: 'Member discount (%)', freeShipping: 'Free shipping from (minor units)', multiplier: 'Points multiplier (%)',
  birthday: 'Birthday gift (points)', exclusive: 'Exclusive promotions', priority: 'Priority service', checkin: 'Daily check-in', addTier: 'Add a tier', remove: 'Remove', preview: 'Preview the change', save: 'Apply the new tiers',
  previewResult: 'Members moving up at once: {{up}}. Members who would go down at the end of their term: {{down}}. Unchanged: {{same}}.', previewFirst: 'Preview the change before applying it.', saved: 'The new tiers apply.',
  flags: 'Fraud review', status: 'Status', all: 'All', statuses: { open: 'Open', approved: 'Approved', rejected: 'Rejected' }, referee: 'Referee', referrer: 'Referrer', via: 'Shared', viaKinds: { phone: 'phone', address: 'address' },
  approve: 'Approve', reject: 'Reject', payout: 'Payout (points)', adjustments: 'Adjustments waiting for approval', staff: 'Staff member', none: '-',
  membership: 'Membership', notMember: 'Not a member yet.', openMember: 'Open in Members',
};
type Text = typeof en;

const zh: Text = {
  members: '会员', search: '邮箱、会员编号或邀请码', find: '查找', clear: '清除', email: '邮箱', name: '姓名', tier: '等级', noTier: '无等级', available: '可用', pending: '待生效', held: '已冻结', debt: '欠额',
  growth: '成长值', lifetime: '累计成长值', open: '查看', member: '会员', referralCode: '邀请码', tierUntil: '等级保级至', nextTier: '下一等级', toGo: '尚差',
  pointsLedger: '积分明细', growthLedger: '成长值明细', tierHistory: '等级变更记录', type: '类型', reference: '关联单据', change: '变动', at: '时间', note: '备注',
  from: '原等级', to: '新等级', move: '变动', reason: '原因', by: '操作人', moves: { up: '升级', down: '降级', renew: '保级', removed: '等级已删除' }, reasons: { growth: '成长值', term: '期满评估', reversal: '退款', config: '等级配置变更' },
  adjust: '手动调整', points: '积分', reasonCode: '原因代码', adjustNote: '备注（记入审计日志）', apply: '调整', applied: '已生效', waiting: '超出您的每日额度：等待另一位员工审批',
  reasonCodes: { goodwill: '客户关怀', correction: '更正', compensation: '补偿', migration: '数据迁移', fraud_reversal: '欺诈冲销', other: '其他' },
  tiers: '等级与权益', rank: '级别', threshold: '成长值门槛', entryReward: '升级奖励（积分）', discount: '会员折扣（%）', freeShipping: '包邮门槛（最小货币单位）', multiplier: '积分倍率（%）',
  birthday: '生日礼（积分）', exclusive: '专属活动', priority: '优先客服', checkin: '每日签到', addTier: '添加等级', remove: '删除', preview: '预览变更', save: '应用新等级',
  previewResult: '立即升级的会员：{{up}}。期满时将降级的会员：{{down}}。不变：{{same}}。', previewFirst: '请先预览变更再应用。', saved: '新等级已生效。',
  flags: '风险审核', status: '状态', all: '全部', statuses: { open: '待处理', approved: '已通过', rejected: '已拒绝' }, referee: '被邀请人', referrer: '邀请人', via: '共用', viaKinds: { phone: '手机号', address: '地址' },
  approve: '通过', reject: '拒绝', payout: '奖励（积分）', adjustments: '待审批的调整', staff: '员工', none: '-',
  membership: '会员', notMember: '尚未成为会员。', openMember: '在会员页打开',
};

const ja: Text = {
  members: '会員', search: 'メール、会員ID、紹介コード', find: '検索', clear: 'クリア', email: 'メール', name: '氏名', tier: 'ランク', noTier: 'ランクなし', available: '利用可能', pending: '保留中', held: '確保中', debt: '不足分',
  growth: '成長値', lifetime: '累計成長値', open: '開く', member: '会員', referralCode: '紹介コード', tierUntil: 'ランク保証期限', nextTier: '次のランク', toGo: 'あと',
  pointsLedger: 'ポイント履歴', growthLedger: '成長値履歴', tierHistory: 'ランク変更履歴', type: '種類', reference: '参照', change: '増減', at: '日時', note: 'メモ',
  from: '変更前', to: '変更後', move: '変更', reason: '理由', by: '実行者', moves: { up: '昇格', down: '降格', renew: '維持', removed: 'ランク削除' }, reasons: { growth: '成長値', term: '期間満了', reversal: '返金', config: 'ランク設定の変更' },
  adjust: '手動調整', points: 'ポイント', reasonCode: '理由コード', adjustNote: 'メモ（監査ログに記録）', apply: '調整する', applied: '反映済み', waiting: '1日の上限を超えています：別のスタッフの承認待ち',
  reasonCodes: { goodwill: 'サービス', correction: '訂正', compensation: '補償', migration: '移行', fraud_reversal: '不正の取消', other: 'その他' },
  tiers: 'ランクと特典', rank: '順位', threshold: '成長値のしきい値', entryReward: '昇格特典（ポイント）', discount: '会員割引（%）', freeShipping: '送料無料の下限（最小通貨単位）', multiplier: 'ポイント倍率（%）',
  birthday: '誕生日ギフト（ポイント）', exclusive: '限定プロモーション', priority: '優先サポート', checkin: '毎日のチェックイン', addTier: 'ランクを追加', remove: '削除', preview: '変更をプレビュー', save: '新しいランクを適用',
  previewResult: 'すぐに昇格する会員：{{up}}。期間満了時に降格する会員：{{down}}。変更なし：{{same}}。', previewFirst: '適用する前に変更をプレビューしてください。', saved: '新しいランクを適用しました。',
  flags: '不正審査', status: '状態', all: 'すべて', statuses: { open: '未処理', approved: '承認済み', rejected: '却下' }, referee: '被紹介者', referrer: '紹介者', via: '共有', viaKinds: { phone: '電話番号', address: '住所' },
  approve: '承認', reject: '却下', payout: '報酬（ポイント）', adjustments: '承認待ちの調整', staff: 'スタッフ', none: '-',
  membership: '会員', notMember: 'まだ会員ではありません。', openMember: '会員ページで開く',
};

/** The three tables by language (read by test/admin-ui/keys.test.ts). */
export const TEXT = { en, 'zh-CN': zh, ja };

export function useText(): Text {
  const { i18n } = useTranslation();
  if (i18n.language === 'zh-CN') return zh;
  if (i18n.language === 'ja') return ja;
  return en;
}

export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => String(vars[k] ?? ''));
}

export const REASON_CODES = ['goodwill', 'correction', 'compensation', 'migration', 'fraud_reversal', 'other'] as const;
