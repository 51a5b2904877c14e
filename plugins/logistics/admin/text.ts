// The words of the logistics console pages, in the console's languages.
import { useTranslation } from 'react-i18next';

const TEXT = {
  en: {
    zones: 'Shipping zones', methods: 'Shipping methods', pickup: 'Pickup points', local: 'Local delivery areas', calendars: 'Slot calendars', slots: 'Open slots',
    name: 'Name', code: 'Code', areas: 'Areas', zone: 'Zone', calculator: 'Calculator', currency: 'Currency', days: 'Delivery days', active: 'Active', yes: 'yes', no: 'no',
    address: 'Address', hours: 'Opening hours', fee: 'Fee', calendar: 'Calendar', where: 'Where', freeOver: 'Free from', timezone: 'Timezone', windows: 'Windows', lead: 'Lead time (min)',
    add: 'Add', edit: 'Edit', save: 'Save', remove: 'Remove', keep: 'Keep', removeConfirm: 'Remove it for good?', zoneId: 'Zone id', label: 'Label', minDays: 'Fewest days', maxDays: 'Most days', location: 'Location id', instructions: 'Instructions', eligibility: 'Who may use it', taxIncluded: 'Tax included', position: 'Position',
    cutoff: 'Cutoff', horizon: 'Days ahead', date: 'Date', window: 'Window', booked: 'Booked', remaining: 'Left', show: 'Show slots', hide: 'Hide', none: '-', postcodes: 'postcodes', km: 'km',
  },
  'zh-CN': {
    zones: '配送区域', methods: '配送方式', pickup: '自提点', local: '同城配送区域', calendars: '时段日历', slots: '可预约时段',
    name: '名称', code: '代码', areas: '范围', zone: '区域', calculator: '计费方式', currency: '币种', days: '配送天数', active: '启用', yes: '是', no: '否',
    address: '地址', hours: '营业时间', fee: '费用', calendar: '日历', where: '范围', freeOver: '满额免运费', timezone: '时区', windows: '时段', lead: '提前时间（分钟）',
    add: '添加', edit: '编辑', save: '保存', remove: '删除', keep: '保留', removeConfirm: '确定永久删除？', zoneId: '区域 ID', label: '显示名称', minDays: '最少天数', maxDays: '最多天数', location: '仓库 ID', instructions: '说明', eligibility: '适用条件', taxIncluded: '含税', position: '排序',
    cutoff: '截单时间', horizon: '可预约天数', date: '日期', window: '时段', booked: '已预约', remaining: '剩余', show: '查看时段', hide: '收起', none: '-', postcodes: '邮编', km: '公里',
  },
  ja: {
    zones: '配送ゾーン', methods: '配送方法', pickup: '受取場所', local: '地域配送エリア', calendars: '時間枠カレンダー', slots: '受付中の時間枠',
    name: '名前', code: 'コード', areas: '範囲', zone: 'ゾーン', calculator: '料金計算', currency: '通貨', days: '配送日数', active: '有効', yes: 'はい', no: 'いいえ',
    address: '住所', hours: '営業時間', fee: '料金', calendar: 'カレンダー', where: '範囲', freeOver: '送料無料の下限', timezone: 'タイムゾーン', windows: '時間枠', lead: 'リードタイム（分）',
    add: '追加', edit: '編集', save: '保存', remove: '削除', keep: '残す', removeConfirm: '完全に削除しますか？', zoneId: 'ゾーン ID', label: '表示名', minDays: '最短日数', maxDays: '最長日数', location: '拠点 ID', instructions: '案内', eligibility: '利用条件', taxIncluded: '税込み', position: '表示順',
    cutoff: '締め切り', horizon: '受付日数', date: '日付', window: '時間枠', booked: '予約済み', remaining: '残り', show: '時間枠を表示', hide: '閉じる', none: '-', postcodes: '郵便番号', km: 'km',
  },
};

export type Text = (typeof TEXT)['en'];

export function useText(): Text {
  const { i18n } = useTranslation();
  return i18n.language === 'zh-CN' ? TEXT['zh-CN'] : i18n.language === 'ja' ? TEXT.ja : TEXT.en;
}
