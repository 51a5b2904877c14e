// コンソールの日本語テキスト。キーは en.ts と同じ（型チェックとテストで確認）。
import type { Messages } from './en.js';

const ja: Messages = {
  app: { switchStore: 'ストアを切り替える', addStore: '別のストアにサインイン', name: 'Bazaar', storeConsole: 'ストア管理画面', platformConsole: 'プラットフォーム管理画面', language: '言語', signOut: 'サインアウト', signInOther: 'もう一方の管理画面にサインイン', menu: 'メニュー', skip: '本文へ移動', forbidden: 'このページを開く権限がありません。', notFound: 'このページは存在しません。', loading: '読み込み中…', home: '最初に戻る', showPassword: 'パスワードの表示を切り替える', close: '閉じる' },
  nav: { dashboard: 'ダッシュボード', products: '商品', orders: '注文', returns: '返品', customers: '顧客', staff: 'スタッフ', apiKeys: 'API キー', plugins: 'プラグイン', settings: 'ストア設定', tenants: 'ストア', catalogue: 'プラグインカタログ', audit: '監査ログ', pluginPages: '拡張機能', admins: 'プラットフォーム管理者' },
  signIn: {
    title: 'サインイン', store: 'ストアのスタッフ', platform: 'プラットフォーム管理者', storeSlug: 'ストア', email: 'メールアドレス', password: 'パスワード', submit: 'サインイン',
    signedIn: 'サインイン済み', intro: 'ストアのスタッフとプラットフォーム管理者は同時にサインインできます。', open: '管理画面を開く',
  },
  common: {
    save: '保存', saved: '保存しました', cancel: 'キャンセル', create: '作成', add: '追加', remove: '削除', edit: '編集', next: '次のページ', previous: '前のページ',
    status: 'ステータス', all: 'すべて', name: '名前', email: 'メールアドレス', role: '役割', created: '作成日時', actions: '操作', none: 'まだ何もありません。', yes: 'はい', no: 'いいえ', filter: '絞り込み', search: '検索', error: '問題が発生しました', details: '詳細', back: '戻る', confirm: '確定', currency: '通貨', amount: '金額', total: '合計', id: '識別子', page: '{{n}} ページ目',
  },
  status: { terminated: '閉鎖済み', draft: '下書き', active: '公開中', archived: 'アーカイブ済み', suspended: '停止中', placed: '受注', pending: '保留', paid: '支払い済み', fulfilled: '梱包済み', shipped: '発送済み', delivered: '配達済み', completed: '完了', cancelled: 'キャンセル済み', refunded: '返金済み', partially_refunded: '一部返金', authorized: 'オーソリ済み', captured: '売上確定', unpaid: '未払い', partially_fulfilled: '一部梱包済み', requested: '申請中', received: '受領済み', enabled: 'オン', disabled: 'オフ', on_hold: '保留中', voided: '取消済み', failed: '失敗', partially_paid: '一部支払い済み', partially_shipped: '一部発送済み', returned: '返品済み', pending_payment: '支払い待ち', fulfilling: '梱包中', approved: '承認済み', rejected: '却下', disabled_staff: '無効', succeeded: '成功', in_transit: '配送中', processing: '処理中' },
  dashboard: { title: 'ダッシュボード', ordersToday: '本日の注文', revenueToday: '本日の売上', sales: '過去 30 日間の売上', noSales: 'まだ売上がありません。', recent: '最新の注文' },
  products: {
    held: 'プラットフォームの審査に送りました。承認されるまで、お客様には現在の内容が表示されます。',
    title: '商品', new: '新しい商品', variants: 'バリエーション', variantCount: '{{count}} 件のバリエーション', editTitle: '商品を編集', newTitle: '新しい商品', translations: '翻訳', locale: '言語', nameLabel: '名前', description: '説明', slug: 'スラッグ',
    addTranslation: '翻訳を追加', attributes: '属性', attrKey: '属性', attrValue: '値', addAttribute: '属性を追加', categories: 'カテゴリ', sku: '品番', options: 'オプション', optionsHint: '例：サイズ=M, 色=赤', price: '{{currency}} での価格',
    stock: '在庫', initialStock: '既定の拠点の在庫', addVariant: 'バリエーションを追加', created: '商品を作成しました', stockAt: '拠点ごとの在庫', onHand: '手持ち', reserved: '引当済み', available: '販売可能', location: '拠点', adjust: '調整', delta: '増減', reason: '理由',
    importTitle: '商品のインポート', importHint: 'インポート用の列を持つ CSV ファイル（README を参照）。', importFile: 'CSV ファイル', importRun: 'インポート', importDone: '{{imported}} 件をインポート、{{failed}} 件にエラー', importProgress: '{{percent}}% 読み込み済み：これまでに {{products}} 件の商品、{{failed}} 件にエラー', importFailed: 'エラーでインポートが止まりました。{{imported}} 件の商品をインポート済みです', importErrors: 'エラーのある行', filterCategory: 'カテゴリ', searchHint: 'いずれかの言語の名前、または品番',
  },
  orders: {
    title: '注文', number: '注文', placed: '注文日時', payment: '支払い', customer: '顧客', lines: '明細', quantity: '数量', unitPrice: '単価', timeline: '履歴', detail: '注文 #{{n}}',
    fulfil: '梱包', ship: '発送', refund: '返金', carrier: '配送業者', tracking: '追跡番号', refundAmount: '返金額（{{currency}}）', reasonLabel: '理由', done: '完了', subtotal: '小計', shipping: '送料', tax: '税', return: '返品', emailFilter: '顧客のメールアドレス', confirmPayment: '入金を確認', deliver: '配達済みにする', complete: '完了にする', hold: '保留', release: '保留を解除', cancel: '注文をキャンセル', shipments: '発送', refunds: '返金',
  },
  timeline: { placed: '受注', payment: '支払い', fulfilment: '梱包', shipment: '発送', refund: '返金', return: '返品', note: 'メモ', review: '審査', status: 'ステータス変更' },
  returns: {
    title: '返品', order: '注文', approve: '承認', reject: '却下', receive: '商品を受領', refund: '返金', restock: '商品を在庫に戻す', refundAmount: '返金額（{{currency}}）', refundHint: '空欄のままにすると返品された明細の金額を返金します。', units: '点数',
    reasons: { damaged: '破損', defective: '不良品', wrong_item: '誤配送', not_as_described: '説明と異なる', no_longer_needed: '不要になった', other: 'その他' },
  },
  customers: { title: '顧客', locale: '言語', orders: 'この顧客の注文', since: '登録日', orderCount: '注文数', spent: '購入金額（キャンセル分を除く）', lastOrder: '最終注文', addresses: '使用した住所', shipping: '配送先住所', billing: '請求先住所' },
  staff: { rolesTitle: '役割と権限', permissions: '権限', everything: 'すべての権限', title: 'スタッフ', invite: 'スタッフを追加', password: 'パスワード（12 文字以上）', roles: { owner: 'オーナー', admin: '管理者', staff: 'スタッフ', viewer: '閲覧者' } },
  apiKeys: { title: 'API キー', create: 'API キーを作成', name: 'キーの名前', created: '今すぐキーをコピーしてください。表示されるのは一度だけです。', revoke: '無効にする', prefix: 'キー' },
  plugins: {
    title: 'プラグイン', enable: '有効にする', disable: '無効にする', settings: '設定', noSettings: 'このプラグインには設定がありません。', secretSet: '値は保存されています（変更しない場合は空欄のまま）。', version: 'バージョン', saved: '設定を保存しました',
    installed: 'インストール済み', install: 'インストール', scope: '範囲', availableTo: '利用できる対象', allowed: '許可', permissions: '権限',
  },
  settings: { title: 'ストア設定', storeName: 'ストア名', defaultLocale: '既定の言語', defaultCurrency: '既定の通貨', currencies: '通貨', taxMode: '税の扱い', taxRate: '税率（ベーシスポイント）' },
  tenants: {
    title: 'ストア', new: 'ストアを作成', slug: 'アドレス名（スラッグ）', ownerEmail: 'オーナーのメールアドレス', ownerPassword: 'オーナーのパスワード', suspend: '停止', resume: '再開', placement: '配置先', plugins: 'このストアが使えるプラグイン', allow: '許可', deny: '拒否', created: 'ストアを作成しました', suspendConfirm: 'このストアを停止しますか？再開するまで顧客とスタッフはアクセスできなくなります。',
    terminate: '完全に閉鎖', terminateConfirm: 'このストアを完全に閉鎖しますか？顧客とスタッフはアクセスできなくなり、再開はできません。未完了の注文や返品があるストアは閉鎖できません。', terminateSlug: '確認のためストアのアドレス名（{{slug}}）を入力してください', terminateReason: '理由（監査ログに記録）', terminatedNote: 'このストアは完全に閉鎖されています。',
  },
  admins: { title: 'プラットフォーム管理者', add: 'プラットフォーム管理者を追加', password: '初期パスワード', passwordHint: '10 文字以上。ご自身で本人に渡してください。すぐにサインインできます。', you: 'あなた', remove: 'プラットフォーム管理者を削除', removeConfirm: 'セッションはすぐに終了します。削除対象：' },
  audit: { title: '監査ログ', action: '操作', actor: '実行者', tenant: 'ストア', at: '日時', entity: '対象', actionHint: '完全一致、または先頭の文字列の後に *', actorType: '実行者の種類', actorId: '実行者の識別子', targetId: '対象の識別子', from: '開始日', to: '終了日（当日を含む）', reason: '理由', requestId: 'リクエスト識別子', before: '変更前', after: '変更後（依頼された内容）', export: 'CSV を書き出す', entry: '監査記録', open: '{{action}} の詳細', actors: { staff: 'スタッフ', apiKey: 'API キー', platform: 'プラットフォーム管理者', system: 'システム' } },
  fields: {
    email: 'メールアドレス', name: '名前', password: 'パスワード', role: '役割', slug: 'アドレス名（スラッグ）', sku: '品番', amount: '金額', currency: '通貨', currencies: '通貨',
    defaultCurrency: '既定の通貨', defaultLocale: '既定の言語', taxMode: '課税方式', taxRate: '税率', quantity: '数量', reason: '理由', status: 'ステータス', locale: '言語',
    description: '説明', options: 'オプション', prices: '価格', stock: '在庫', translations: '翻訳', variants: 'バリエーション', categories: 'カテゴリ', attributes: '属性',
    placement: '配置先', owner: 'オーナー', scopes: '権限', expiresAt: '有効期限', carrier: '配送業者', trackingNumber: '追跡番号', lines: '明細', url: 'アドレス（URL）', events: 'イベント',
    note: 'メモ', title: 'タイトル', delta: '増減', locationId: '在庫拠点', restock: '在庫に戻す', plugins: 'プラグイン',
  },
  forms: { required: '必須', tooShort: '短すぎます', invalid: '無効な値です', none: 'なし' },
  widgets: { failed: 'このパネルを表示できませんでした。' },
  rjsf: {
    strings: { ArrayItemTitle: "項目", MissingItems: "項目の定義がありません", EmptyArray: "まだ項目がありません。下のボタンで追加してください。", YesLabel: "はい", NoLabel: "いいえ", CloseLabel: "閉じる", ErrorsLabel: "エラー", NewStringDefault: "新しい値", AddButton: "追加", AddItemButton: "項目を追加", CopyButton: "コピー", ExpandButton: "循環を展開", MoveDownButton: "下へ移動", MoveUpButton: "上へ移動", RemoveButton: "削除", NowLabel: "現在", ClearLabel: "クリア", AriaDateLabel: "日付を選択", PreviewLabel: "プレビュー", DecrementAriaLabel: "1 減らす", IncrementAriaLabel: "1 増やす", OptionalObjectAdd: "任意項目にデータを追加", OptionalObjectRemove: "任意項目のデータを削除", OptionalObjectEmptyMsg: "任意項目のデータはありません", Type: "種類", Value: "値", ClearButton: "入力をクリア", UnknownFieldType: "不明なフィールドの種類 %1", OptionPrefix: "選択肢 %1", TitleOptionPrefix: "%1 の選択肢 %2", KeyLabel: "%1 のキー", DeprecatedLabel: "%1（非推奨）", CycleDetected: "フィールド「%1」に循環参照（$ref の循環）があります。次の循環の切れ目まで展開できます", InvalidObjectField: "オブジェクトフィールド「%1」の設定が無効です：_%2_。", UnsupportedField: "対応していないフィールド構造です。", UnsupportedFieldWithId: "フィールド `%1` の構造には対応していません。", UnsupportedFieldWithReason: "対応していないフィールド構造です：_%1_。", UnsupportedFieldWithIdAndReason: "フィールド `%1` の構造には対応していません：_%2_。", FilesInfo: "**%1**（%2、%3 バイト）" },
    errors: { required: "必須", minLength: "{{limit}} 文字以上", maxLength: "{{limit}} 文字以内", minimum: "{{limit}} 以上", maximum: "{{limit}} 以下", exclusiveMinimum: "{{limit}} より大きい値", exclusiveMaximum: "{{limit}} より小さい値", multipleOf: "{{multipleOf}} の倍数", pattern: "形式が正しくありません", format: "書式が正しくありません", type: "値の種類が正しくありません", enum: "選択肢から選んでください", const: "値が正しくありません", minItems: "{{limit}} 件以上", maxItems: "{{limit}} 件以内", uniqueItems: "項目が重複しています", minProperties: "{{limit}} 項目以上", maxProperties: "{{limit}} 項目以内", additionalProperties: "不明な項目です", oneOf: "どれか一つだけ入力してください", anyOf: "どれかを入力してください", invalid: "無効です" },
  },
};

export default ja;
