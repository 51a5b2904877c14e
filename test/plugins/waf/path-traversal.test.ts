import { expect } from 'chai';
import { findMissed, listRules, findWronglyBlocked } from './helpers.js';

const ATTACKS = [
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%252f..%252fetc%252fpasswd',
  '....//....//etc/passwd',
  '..\\..\\windows\\win.ini',
  '..%5c..%5cboot.ini',
  '%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  '..%c0%af..%c0%afetc/passwd',
  '../../../../etc/passwd%00.jpg',
  'php://filter/convert.base64-encode/resource=index.php',
  'php://input',
  'file:///etc/passwd',
  'file:/etc/passwd',
  'expect://id',
  'zip://shell.jpg%23payload.php',
  'phar://upload/x.phar/test',
  'C:\\Windows\\System32\\drivers\\etc\\hosts',
  'c:/boot.ini',
  '/proc/self/environ',
  '..;/WEB-INF/web.xml',
  '/var/log/apache2/access.log',
  '.%2e/.%2e/etc/passwd',
  '..%u2215..%u2215etc%u2215passwd',
  'data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjbWQnXSk7ID8+',
  '..././..././etc/passwd',
  '/static/../../../../etc/passwd',
  '0x2e0x2e/0x2e0x2e/etc/passwd',
  '/./././././etc/hostname',
  `/${'a'.repeat(300)}/../x`,
];

const LOOK_ALIKES = [
  'c/ caridad s/n',
  'S/M/L/XL/...',
  'wait.... what',
  'so....cute!!!',
  'Windows/Mac compatible',
  '50% cotton / 50% polyester',
  'and/or combo deal',
  '24/7 support',
  'Size: 10.5 US / 44 EU',
  'https://shop.example.com/products/red-shoes',
  'etc. etc.',
  'passwd reset help',
  'Option A: small',
  '1.5 WITH 1/2 INCH LOOP',
  'Dr. J.R.R. Tolkien',
  'v1.2.3',
];

describe('waf path traversal / LFI', () => {
  it('blocks dot-dot segments in any encoding, sensitive files, wrappers and drive paths', () => {
    expect(findMissed(ATTACKS)).to.deep.equal([]);
  });

  it('passes slashes, dots and ellipses in ordinary text', () => {
    expect(findWronglyBlocked(LOOK_ALIKES)).to.deep.equal([]);
  });

  it('reports which shape was found', () => {
    expect(listRules('../../x', 'lfi')).to.include('lfi.dot-dot-segment');
    expect(listRules('/etc/passwd', 'lfi')).to.include('lfi.sensitive-file');
    expect(listRules('php://filter/resource=x', 'lfi')).to.include('lfi.stream-wrapper');
    expect(listRules('d:\\inetpub\\wwwroot\\global.asa', 'lfi')).to.include('lfi.windows-system-path');
    expect(listRules('d:\\photos\\beach.jpg', 'lfi', 2)).to.include('lfi.windows-path');
  });
});

const RESTRICTED = [
  '/etc/fstab',
  '/var/log/nginx/access.log',
  '/proc/1/environ',
  '/usr/local/etc/php-fpm.conf\0',
  '/logs/error.log',
  '\\apache\\conf\\httpd.conf',
  'C:\\xampp\\php\\php.ini',
  'C:\\Program Files\\MySQL\\my.cnf',
  '/.git/HEAD',
  '.env',
  '/app/.env.production',
  '~/.bash_history',
  '/.aws/credentials',
  '\\\\10.0.0.9\\share\\x.php',
  'http://evil.example/shell.txt?',
  'Li4vLi4vLi4vZXRjL2dyb3Vw',
  '..%bg%qf..%bg%qfetc%bg%qfgroup',
  '%%32%%65%%32%%65%c0%2fetc%c0%2fshadow',
  '..0x2f..0x2fwindows0x2fwin.ini',
  '%uff0e%uff0e%2%fetc%2%fhosts',
];

const WINDOWS_FORM_PATHS = [
  'C:\\fakepath\\photo.jpg',
  'C:\\Users\\Ann\\Documents\\invoice 2024.pdf',
  'D:\\Projekte\\Katalog\\Preise.xlsx',
  'https://shop.example.com/.well-known/apple-app-site-association',
  'Use the .env file from the docs',
  '/account/orders/1042',
  '/home/deals?page=2',
  '/binoculars/10x42',
  '/lib/jquery.min.js',
  'see /etc and /var in the manual',
  'Wait.... what?',
];

describe('waf restricted files and broken encodings', () => {
  it('blocks system paths, server files, dotfiles, UNC shares, remote includes, base64 and broken encodings', () => {
    expect(findMissed(RESTRICTED)).to.deep.equal([]);
  });

  it('passes Windows paths of uploads and documents, and site paths', () => {
    expect(findWronglyBlocked(WINDOWS_FORM_PATHS)).to.deep.equal([]);
  });
});
