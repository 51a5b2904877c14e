// 控制台的简体中文文本；键与 en.ts 相同（类型检查保证）。
import type { Messages } from './en.js';

const zhCN: Messages = {
  app: { switchStore: '切换店铺', addStore: '登录另一家店铺', name: 'Bazaar', storeConsole: '店铺控制台', platformConsole: '平台控制台', language: '语言', signOut: '退出登录', signInOther: '登录另一个控制台', menu: '菜单', skip: '跳到正文', forbidden: '您无权访问此页面。', notFound: '此页面不存在。', loading: '加载中…', home: '返回首页', showPassword: '显示或隐藏密码', close: '关闭' },
  nav: { dashboard: '概览', products: '商品', orders: '订单', returns: '退货', customers: '顾客', staff: '员工', apiKeys: 'API 密钥', plugins: '插件', settings: '店铺设置', tenants: '店铺', catalogue: '插件目录', audit: '审计日志', pluginPages: '扩展', admins: '平台管理员' },
  signIn: {
    title: '登录', store: '店铺员工', platform: '平台管理员', storeSlug: '店铺', email: '邮箱', password: '密码', submit: '登录',
    signedIn: '已登录', intro: '店铺员工与平台管理员可以同时登录。', open: '打开控制台',
  },
  common: {
    save: '保存', saved: '已保存', cancel: '取消', create: '创建', add: '添加', remove: '移除', edit: '编辑', next: '下一页', previous: '上一页',
    status: '状态', all: '全部', name: '名称', email: '邮箱', role: '角色', created: '创建时间', actions: '操作', none: '暂无内容。', yes: '是', no: '否', filter: '筛选', search: '搜索', error: '出错了', details: '详情', back: '返回', confirm: '确认', currency: '币种', amount: '金额', total: '合计', id: '编号', page: '第 {{n}} 页',
  },
  status: { terminated: '已关闭', draft: '草稿', active: '正常', archived: '已归档', suspended: '已暂停', placed: '已下单', pending: '待处理', paid: '已付款', fulfilled: '已备货', shipped: '已发货', delivered: '已送达', completed: '已完成', cancelled: '已取消', refunded: '已退款', partially_refunded: '部分退款', authorized: '已授权', captured: '已扣款', unpaid: '未付款', partially_fulfilled: '部分备货', requested: '已申请', received: '已收货', enabled: '已启用', disabled: '已停用', on_hold: '已冻结', voided: '已作废', failed: '失败', partially_paid: '部分付款', partially_shipped: '部分发货', returned: '已退货', pending_payment: '待付款', fulfilling: '备货中', approved: '已批准', rejected: '已拒绝', disabled_staff: '已停用', succeeded: '成功', in_transit: '运输中', processing: '处理中' },
  dashboard: { title: '概览', ordersToday: '今日订单', revenueToday: '今日销售额', sales: '近 30 天销售额', noSales: '暂无销售。', recent: '最新订单' },
  products: {
    held: '已提交平台审核：审核通过前，顾客看到的仍是当前版本。',
    title: '商品', new: '新建商品', variants: '规格', variantCount: '{{count}} 个规格', editTitle: '编辑商品', newTitle: '新建商品', translations: '多语言内容', locale: '语言', nameLabel: '名称', description: '描述', slug: '链接名',
    addTranslation: '添加一种语言', attributes: '属性', attrKey: '属性名', attrValue: '属性值', addAttribute: '添加属性', categories: '分类', sku: '货号', options: '选项', optionsHint: '例如：尺码=M，颜色=红', price: '{{currency}} 价格',
    stock: '库存', initialStock: '默认仓库的库存', addVariant: '添加规格', created: '商品已创建', stockAt: '各仓库库存', onHand: '现有', reserved: '已预留', available: '可售', location: '仓库', adjust: '调整', delta: '变动数量', reason: '原因',
    importTitle: '导入商品', importHint: '包含导入列的 CSV 文件（见 README）。', importFile: 'CSV 文件', importRun: '导入', importDone: '已导入 {{imported}} 个，{{failed}} 个有错误', importProgress: '已读取 {{percent}}%：目前 {{products}} 个商品，{{failed}} 个有错误', importFailed: '导入因错误而停止；已导入 {{imported}} 个商品', importErrors: '有错误的行', filterCategory: '分类', searchHint: '任意语言的名称或货号',
  },
  orders: {
    title: '订单', number: '订单', placed: '下单时间', payment: '付款', customer: '顾客', lines: '商品明细', quantity: '数量', unitPrice: '单价', timeline: '时间线', detail: '订单 #{{n}}',
    fulfil: '备货', ship: '发货', refund: '退款', carrier: '承运商', tracking: '运单号', refundAmount: '退款金额（{{currency}}）', reasonLabel: '原因', done: '完成', subtotal: '小计', shipping: '运费', tax: '税费', return: '退货', emailFilter: '顾客邮箱', confirmPayment: '确认收款', deliver: '标记为已送达', complete: '完成', hold: '冻结', release: '解除冻结', cancel: '取消订单', shipments: '发货记录', refunds: '退款记录',
  },
  timeline: { placed: '下单', payment: '付款', fulfilment: '备货', shipment: '发货', refund: '退款', return: '退货', note: '备注', review: '审核', status: '状态变更' },
  returns: {
    title: '退货', order: '订单', approve: '批准', reject: '拒绝', receive: '已收到退货', refund: '退款', restock: '退回库存', refundAmount: '退款金额（{{currency}}）', refundHint: '留空则退还所退商品对应的金额。', units: '件数',
    reasons: { damaged: '商品损坏', defective: '质量问题', wrong_item: '发错商品', not_as_described: '与描述不符', no_longer_needed: '不再需要', other: '其他' },
  },
  customers: { title: '顾客', locale: '语言', orders: '该顾客的订单', since: '注册于', orderCount: '订单数', spent: '消费金额（不含已取消订单）', lastOrder: '最近下单', addresses: '使用过的地址', shipping: '收货地址', billing: '账单地址' },
  staff: { rolesTitle: '角色及其权限', permissions: '权限', everything: '全部权限', title: '员工', invite: '添加员工', password: '密码（至少 12 个字符）', roles: { owner: '店主', admin: '管理员', staff: '员工', viewer: '只读' } },
  apiKeys: { title: 'API 密钥', create: '创建 API 密钥', name: '密钥名称', created: '请立即复制密钥：它只显示这一次。', revoke: '吊销', prefix: '密钥' },
  plugins: {
    title: '插件', enable: '启用', disable: '停用', settings: '设置', noSettings: '此插件没有设置项。', secretSet: '已保存一个值（留空则保持不变）。', version: '版本', saved: '设置已保存',
    installed: '已安装', install: '安装', scope: '范围', availableTo: '可用于', allowed: '允许', permissions: '权限',
  },
  settings: { title: '店铺设置', storeName: '店铺名称', defaultLocale: '默认语言', defaultCurrency: '默认币种', currencies: '币种', taxMode: '计税方式', taxRate: '税率（基点）' },
  tenants: {
    title: '店铺', new: '创建店铺', slug: '地址名', ownerEmail: '店主邮箱', ownerPassword: '店主密码', suspend: '暂停', resume: '恢复', placement: '数据库位置', plugins: '此店铺可用的插件', allow: '允许', deny: '禁止', created: '店铺已创建', suspendConfirm: '暂停此店铺？恢复之前，其顾客和员工都无法访问。',
    terminate: '永久关闭', terminateConfirm: '永久关闭此店铺？其顾客和员工将无法访问，且无法重新开启。有未完成订单或退货的店铺不能关闭。', terminateSlug: '输入店铺地址名（{{slug}}）以确认', terminateReason: '原因（记入审计日志）', terminatedNote: '此店铺已永久关闭。',
  },
  admins: { title: '平台管理员', add: '添加平台管理员', password: '初始密码', passwordHint: '至少 10 个字符。请亲自转交，对方即可用它登录。', you: '您', remove: '移除平台管理员', removeConfirm: '其登录会话将立即结束。确认移除' },
  audit: { title: '审计日志', action: '操作', actor: '操作人', tenant: '店铺', at: '时间', entity: '对象', actionHint: '完整名称，或开头加 *', actorType: '操作者类型', actorId: '操作者编号', targetId: '对象编号', from: '起始日期', to: '截止日期（含）', reason: '原因', requestId: '请求编号', before: '变更前', after: '变更后（提交的内容）', export: '导出 CSV', entry: '审计记录', open: '{{action}} 的详情', actors: { staff: '员工', apiKey: 'API 密钥', platform: '平台管理员', system: '系统' } },
  fields: {
    email: '邮箱', name: '名称', password: '密码', role: '角色', slug: '地址名（slug）', sku: '货号', amount: '金额', currency: '币种', currencies: '币种',
    defaultCurrency: '默认币种', defaultLocale: '默认语言', taxMode: '计税方式', taxRate: '税率', quantity: '数量', reason: '原因', status: '状态', locale: '语言',
    description: '描述', options: '选项', prices: '价格', stock: '库存', translations: '翻译', variants: '规格', categories: '分类', attributes: '属性',
    placement: '数据库位置', owner: '店主', scopes: '权限', expiresAt: '过期时间', carrier: '承运商', trackingNumber: '运单号', lines: '明细行', url: '地址（URL）', events: '事件',
    note: '备注', title: '标题', delta: '变动', locationId: '库位', restock: '放回库存', plugins: '插件',
  },
  forms: { required: '必填', tooShort: '太短', invalid: '无效', none: '无' },
  widgets: { failed: '此面板无法显示。' },
  rjsf: {
    strings: { ArrayItemTitle: "项目", MissingItems: "缺少列表项的定义", EmptyArray: "暂无项目。使用下方按钮添加。", YesLabel: "是", NoLabel: "否", CloseLabel: "关闭", ErrorsLabel: "错误", NewStringDefault: "新值", AddButton: "添加", AddItemButton: "添加一项", CopyButton: "复制", ExpandButton: "展开循环", MoveDownButton: "下移", MoveUpButton: "上移", RemoveButton: "删除", NowLabel: "现在", ClearLabel: "清除", AriaDateLabel: "选择日期", PreviewLabel: "预览", DecrementAriaLabel: "减 1", IncrementAriaLabel: "加 1", OptionalObjectAdd: "为可选字段添加内容", OptionalObjectRemove: "移除可选字段的内容", OptionalObjectEmptyMsg: "可选字段没有内容", Type: "类型", Value: "值", ClearButton: "清空输入", UnknownFieldType: "未知的字段类型 %1", OptionPrefix: "选项 %1", TitleOptionPrefix: "%1 的选项 %2", KeyLabel: "%1 键名", DeprecatedLabel: "%1（已弃用）", CycleDetected: "字段“%1”存在循环引用（$ref 循环）。可以展开到下一个循环断点", InvalidObjectField: "对象字段“%1”的配置无效：_%2_。", UnsupportedField: "不支持的字段结构。", UnsupportedFieldWithId: "字段 `%1` 的结构不受支持。", UnsupportedFieldWithReason: "不支持的字段结构：_%1_。", UnsupportedFieldWithIdAndReason: "字段 `%1` 的结构不受支持：_%2_。", FilesInfo: "**%1**（%2，%3 字节）" },
    errors: { required: "必填", minLength: "至少 {{limit}} 个字符", maxLength: "最多 {{limit}} 个字符", minimum: "不能小于 {{limit}}", maximum: "不能大于 {{limit}}", exclusiveMinimum: "必须大于 {{limit}}", exclusiveMaximum: "必须小于 {{limit}}", multipleOf: "必须是 {{multipleOf}} 的倍数", pattern: "格式不符合要求", format: "格式不正确", type: "值的类型不正确", enum: "请从选项中选择", const: "值不正确", minItems: "至少 {{limit}} 项", maxItems: "最多 {{limit}} 项", uniqueItems: "各项不能重复", minProperties: "至少 {{limit}} 个字段", maxProperties: "最多 {{limit}} 个字段", additionalProperties: "不是已知字段", oneOf: "请恰好填写其中一种", anyOf: "请填写其中一种", invalid: "无效" },
  },
};

export default zhCN;
