// Sentence templates. A template returns parts: strings, and entities { type, value } whose
// offsets the assembler records. `cue: false` marks templates with no context word, so the
// evaluation can report how each type does without help.
import { faker } from '@faker-js/faker';
import * as V from './values.mjs';

const E = (type, value) => ({ type, value });
const t = (strings, ...vals) => strings.flatMap((s, i) => (i < vals.length ? [s, vals[i]] : [s]));
const cue = (fn) => ({ fn, cue: true });
const bare = (fn) => ({ fn, cue: false });
const { pick } = V;
const name = () => V.personName();

export const POSITIVE = {
  EMAIL: [
    cue(() => t`From: ${E('PERSON', name())} <${E('EMAIL', V.email())}>`),
    bare(() => t`(${E('EMAIL', V.email().toUpperCase())})`),
    cue(() => t`Please email ${E('EMAIL', V.email())} with the report.`),
    cue(() => t`Contact: ${E('EMAIL', V.email())}`),
    bare(() => t`Forwarding this thread from ${E('EMAIL', V.email())} — can you summarise it?`),
    bare(() => t`{"user": {"id": ${V.num(1, 99999)}, "mail": "${E('EMAIL', V.email())}"}}`),
    bare(() => t`cc ${E('EMAIL', V.email())}, ${E('EMAIL', V.email())}`),
    bare(() => t`mailto:${E('EMAIL', V.email())}`),
  ],
  PHONE: [
    cue(() => t`Ring ${E('PHONE', V.phoneWithTrunk())} for the London office.`),
    bare(() => t`Sales: ${E('PHONE', V.phone('intl'))} ext. ${V.num(100, 999)}`),
    cue(
      () =>
        t`llámame al ${E('PHONE', `6${V.digits(2)} ${V.digits(2)} ${V.digits(2)} ${V.digits(2)}`)}`,
    ),
    cue(() => t`Call me on ${E('PHONE', V.phone())} after 5pm.`),
    cue(() => t`Phone: ${E('PHONE', V.phone())}`),
    cue(() => t`My mobile is ${E('PHONE', V.phone('national'))}, text anytime.`),
    cue(() => t`tel ${E('PHONE', V.phone('national').replace(/\D/g, ''))}`),
    bare(() => t`Reach the front desk at ${E('PHONE', V.phone('intl'))} or the hotline.`),
    bare(() => t`${name()} ${E('PHONE', V.phone('intl'))}`),
    bare(
      () =>
        t`Numbers to try: ${E('PHONE', V.phone('e164'))} and ${E('PHONE', V.phone('national'))}.`,
    ),
  ],
  CREDIT_CARD: [
    cue(
      () =>
        t`My card number is ${E('CREDIT_CARD', V.card())}, exp 0${V.num(1, 9)}/2${V.num(6, 9)}.`,
    ),
    cue(() => t`Visa: ${E('CREDIT_CARD', V.card())}`),
    cue(() => t`charge it to ${E('CREDIT_CARD', V.card())} please`),
    bare(() => t`${E('CREDIT_CARD', V.card())}`),
    bare(() => t`Why was ${E('CREDIT_CARD', V.card())} declined yesterday?`),
  ],
  IBAN: [
    cue(() => t`Please wire the deposit to IBAN ${E('IBAN', V.iban())}.`),
    cue(() => t`Bank account: ${E('IBAN', V.iban())} (${faker.company.name()})`),
    bare(() => t`${E('IBAN', V.iban())}`),
    bare(() => t`Send it to ${E('IBAN', V.iban())} by Friday.`),
  ],
  US_SSN: [
    cue(() => t`SSN: ${E('US_SSN', V.ssn())}`),
    cue(() => t`My social security number is ${E('US_SSN', V.ssn())}.`),
    cue(() => t`ssn=${E('US_SSN', V.ssn('bare'))}`),
    bare(() => t`Applicant ${name()}, ${E('US_SSN', V.ssn('dash'))}, requested a review.`),
  ],
  UK_NHS: [
    cue(() => t`NHS number: ${E('UK_NHS', V.nhs())}`),
    cue(() => t`Patient's NHS no. is ${E('UK_NHS', V.nhs())}.`),
    cue(() => t`nhs_number=${E('UK_NHS', V.nhs('bare'))}`),
    bare(() => t`Referral for ${E('UK_NHS', V.nhs('space'))} attached.`),
  ],
  ES_NIF: [
    cue(() => t`DNI: ${E('ES_NIF', V.nif())}`),
    cue(() => t`Mi NIE es ${E('ES_NIF', V.nif())}.`),
    bare(() => t`Titular ${E('ES_NIF', V.nif())}, ${name()}.`),
    bare(() => t`Document ${E('ES_NIF', V.nif())} verified.`),
  ],
  BR_CPF: [
    cue(() => t`CPF: ${E('BR_CPF', V.cpf())}`),
    cue(() => t`Meu CPF é ${E('BR_CPF', V.cpf())}.`),
    cue(() => t`cpf=${E('BR_CPF', V.cpf('bare'))}`),
    bare(() => t`Cliente ${name()} (${E('BR_CPF', V.cpf('dots'))}) pediu reembolso.`),
  ],
  IN_AADHAAR: [
    cue(() => t`Aadhaar: ${E('IN_AADHAAR', V.aadhaar())}`),
    cue(() => t`My Aadhaar number is ${E('IN_AADHAAR', V.aadhaar())}.`),
    cue(() => t`aadhaar_no=${E('IN_AADHAAR', V.aadhaar('bare'))}`),
    bare(() => t`KYC done for ${E('IN_AADHAAR', V.aadhaar('space'))} today.`),
  ],
  FR_NIR: [
    cue(() => t`Numéro de sécurité sociale : ${E('FR_NIR', V.nir())}`),
    cue(() => t`NIR ${E('FR_NIR', V.nir())}`),
    bare(() => t`Assuré ${E('FR_NIR', V.nir('space'))}, dossier en cours.`),
    bare(() => t`${name()} — ${E('FR_NIR', V.nir())}`),
  ],
  IP_ADDRESS: [
    bare(() => t`curl http://${E('IP_ADDRESS', V.ipv4())}:8080/health`),
    cue(() => t`The server IP is ${E('IP_ADDRESS', V.ipv4())}.`),
    cue(() => t`Connection refused from ${E('IP_ADDRESS', V.ipv4())}:${V.num(1024, 65535)}`),
    bare(
      () =>
        t`${V.plainDate()}T10:${V.num(10, 59)}:00Z GET /api/v1/items 200 ${E('IP_ADDRESS', V.ipv4())}`,
    ),
    cue(() => t`client address ${E('IP_ADDRESS', V.ipv6())} was blocked`),
    bare(() => t`ping ${E('IP_ADDRESS', V.ipv6())}`),
    bare(() => t`allow ${E('IP_ADDRESS', V.ipv4())}/32 in the firewall`),
  ],
  MAC_ADDRESS: [
    cue(() => t`MAC address ${E('MAC_ADDRESS', V.mac())} keeps dropping off the wifi.`),
    bare(() => t`ether ${E('MAC_ADDRESS', V.mac())} txqueuelen 1000`),
    bare(() => t`Device ${E('MAC_ADDRESS', V.mac())} joined.`),
  ],
  DATE_OF_BIRTH: [
    cue(() => t`DOB: ${E('DATE_OF_BIRTH', V.birthDate())}`),
    cue(() => t`I was born on ${E('DATE_OF_BIRTH', V.birthDate())} in ${faker.location.city()}.`),
    cue(() => t`Date of birth ${E('DATE_OF_BIRTH', V.birthDate())}, ${name()}.`),
    cue(() => t`Her birthday is ${E('DATE_OF_BIRTH', V.birthDate())}.`),
    cue(() => t`${E('DATE_OF_BIRTH', V.birthDate())} (date of birth)`),
  ],
  ADDRESS: [
    cue(() => t`i live at ${E('ADDRESS', V.street().toLowerCase())}`),
    cue(
      () =>
        t`Dirección: ${E('ADDRESS', `Calle ${faker.person.lastName()} ${V.num(1, 99)}, ${V.num(10000, 52999)} Madrid`)}`,
    ),
    cue(
      () =>
        t`Send the parcel to ${E('ADDRESS', `P.O. Box ${V.num(10, 9999)}, ${faker.location.city()}, ${faker.location.state({ abbreviated: true })} ${faker.location.zipCode('#####')}`)}.`,
    ),
    cue(() => t`Ship to ${E('ADDRESS', V.fullAddress())}.`),
    cue(() => t`My address is ${E('ADDRESS', V.street())}.`),
    cue(() => t`I live at ${E('ADDRESS', V.street())}, near the park.`),
    bare(() => t`${name()}, ${E('ADDRESS', V.fullAddress())}`),
    bare(() => t`Meet me at ${E('ADDRESS', V.street())} tomorrow.`),
  ],
  PERSON: [
    cue(() => t`my name is ${E('PERSON', name().toLowerCase())} and I need help`),
    bare(() => t`I had lunch with ${E('PERSON', name())} and we discussed the roadmap.`),
    bare(
      () =>
        t`Forward this to ${E('PERSON', pick(['李明', '王芳', 'Ιωάννης Παπαδόπουλος', 'Мария Иванова']))} please.`,
    ),
    cue(() => t`My name is ${E('PERSON', name())}.`),
    cue(() => t`Dear ${E('PERSON', name())},\nThanks for the update.`),
    cue(() => t`Best regards,\n${E('PERSON', name())}`),
    cue(() => t`Name: ${E('PERSON', name())}`),
    cue(
      () =>
        t`${pick(['Dr.', 'Mr.', 'Mrs.', 'Ms.', 'Prof.'])} ${E('PERSON', name())} will join the call.`,
    ),
    cue(() => t`Patient: ${E('PERSON', name())}, age ${V.num(18, 90)}`),
    bare(() => t`${E('PERSON', name())} approved the budget yesterday.`),
    bare(() => t`Can you ask ${E('PERSON', name())} about the invoice?`),
  ],
  URL_CREDENTIALS: [
    bare(
      () =>
        t`DATABASE_URL=postgres://${E('URL_CREDENTIALS', V.urlCredentials())}@db.${faker.internet.domainName()}:5432/app`,
    ),
    bare(() => t`redis://${E('URL_CREDENTIALS', V.urlCredentials())}@cache.internal:6379/0`),
    bare(
      () =>
        t`git clone https://${E('URL_CREDENTIALS', V.urlCredentials())}@github.com/acme/repo.git`,
    ),
    bare(
      () => t`mongodb+srv://${E('URL_CREDENTIALS', V.urlCredentials())}@cluster0.mongodb.net/test`,
    ),
  ],
  AWS_ACCESS_KEY: [
    cue(() => t`aws_access_key_id = ${E('AWS_ACCESS_KEY', V.awsAccessKey())}`),
    bare(() => t`why does ${E('AWS_ACCESS_KEY', V.awsAccessKey())} get AccessDenied on s3?`),
    cue(() => t`"AccessKeyId": "${E('AWS_ACCESS_KEY', V.awsAccessKey())}",`),
  ],
  AWS_SECRET_KEY: [
    cue(() => t`aws_secret_access_key = ${E('AWS_SECRET_KEY', V.awsSecretKey())}`),
    cue(() => t`export AWS_SECRET_ACCESS_KEY=${E('AWS_SECRET_KEY', V.awsSecretKey())}`),
    cue(() => t`"SecretAccessKey": "${E('AWS_SECRET_KEY', V.awsSecretKey())}"`),
  ],
  GITHUB_TOKEN: [
    cue(() => t`GITHUB_TOKEN=${E('GITHUB_TOKEN', V.githubToken())}`),
    bare(
      () =>
        t`curl -H "Authorization: token ${E('GITHUB_TOKEN', V.githubToken())}" https://api.github.com/user`,
    ),
    bare(() => t`I pasted ${E('GITHUB_TOKEN', V.githubToken())} into the CI settings, is that ok?`),
  ],
  GITLAB_TOKEN: [
    cue(() => t`PRIVATE-TOKEN: ${E('GITLAB_TOKEN', V.gitlabToken())}`),
    bare(() => t`use ${E('GITLAB_TOKEN', V.gitlabToken())} for the runner`),
  ],
  SLACK_TOKEN: [
    cue(() => t`SLACK_BOT_TOKEN=${E('SLACK_TOKEN', V.slackToken())}`),
    bare(() => t`post to ${E('SLACK_TOKEN', V.slackToken())} when the job fails`),
  ],
  STRIPE_KEY: [
    cue(() => t`stripe.api_key = "${E('STRIPE_KEY', V.stripeKey())}"`),
    bare(() => t`const stripe = require('stripe')('${E('STRIPE_KEY', V.stripeKey())}');`),
  ],
  OPENAI_API_KEY: [
    cue(() => t`export OPENAI_API_KEY=${E('OPENAI_API_KEY', V.openaiKey())}`),
    bare(() => t`client = OpenAI(api_key="${E('OPENAI_API_KEY', V.openaiKey())}")`),
    bare(() => t`here is my key ${E('OPENAI_API_KEY', V.openaiKey())} why do I get 429?`),
  ],
  ANTHROPIC_API_KEY: [
    cue(() => t`ANTHROPIC_API_KEY="${E('ANTHROPIC_API_KEY', V.anthropicKey())}"`),
    bare(() => t`-H "x-api-key: ${E('ANTHROPIC_API_KEY', V.anthropicKey())}"`),
  ],
  GOOGLE_API_KEY: [
    cue(() => t`GOOGLE_API_KEY=${E('GOOGLE_API_KEY', V.googleKey())}`),
    bare(
      () =>
        t`https://maps.googleapis.com/maps/api/geocode/json?address=x&key=${E('GOOGLE_API_KEY', V.googleKey())}`,
    ),
  ],
  JWT: [
    cue(() => t`Authorization: Bearer ${E('JWT', V.jwt())}`),
    bare(() => t`decode this token for me: ${E('JWT', V.jwt())}`),
    bare(() => t`{"id_token": "${E('JWT', V.jwt())}"}`),
  ],
  PRIVATE_KEY: [
    bare(() => t`${E('PRIVATE_KEY', V.pem())}`),
    bare(() => t`key.pem contains:\n${E('PRIVATE_KEY', V.pem())}\nwhy does ssh reject it?`),
  ],
  SECRET_GENERIC: [
    cue(() => t`pwd=${E('SECRET_GENERIC', V.password())}`),
    cue(() => t`{"auth": {"token": "${E('SECRET_GENERIC', V.genericToken())}"}}`),
    cue(() => t`password: ${E('SECRET_GENERIC', V.password())}`),
    cue(() => t`DB_PASSWORD=${E('SECRET_GENERIC', V.password())}`),
    cue(() => t`"client_secret": "${E('SECRET_GENERIC', V.genericToken())}"`),
    cue(() => t`api_key = '${E('SECRET_GENERIC', V.genericToken())}'`),
    cue(() => t`Authorization: Bearer ${E('SECRET_GENERIC', V.genericToken())}`),
    cue(() => t`my password is ${E('SECRET_GENERIC', V.password())}`),
    cue(() => t`X-Auth-Token: ${E('SECRET_GENERIC', V.genericToken())}`),
  ],
};
