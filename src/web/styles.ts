/**
 * The web UI's stylesheet, served as /static/app.css. Mobile first (one column, tables
 * scroll sideways inside a focusable region), wider layouts from 48em; system fonts (the
 * CSP loads no font); focus always visible; colours with at least 4.5:1 contrast for text,
 * and never the only carrier of meaning (badges say their status in words).
 */
export const WEB_CSS = `
:root{--ink:#1f2328;--muted:#57606a;--rule:#d0d7de;--bg:#fff;--panel:#f6f8fa;--link:#0550ae;--focus:#0969da;
--ok:#1a7f37;--warn-bg:#f5d67b;--warn:#7d4e00;--bad:#cf222e;--rev:#8250df;--part:#2f6f4f;--unk:#57606a}
*,*::before,*::after{box-sizing:border-box}
html{font:100%/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg);-webkit-text-size-adjust:100%}
body{margin:0}
a{color:var(--link);text-underline-offset:.15em}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
main:focus{outline:none}
.skip-link{position:absolute;left:.5rem;top:-3rem;background:var(--ink);color:#fff;padding:.5rem .75rem;z-index:10;border-radius:.25rem}
.skip-link:focus{top:.5rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.site-header{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;padding:.5rem 1rem;border-bottom:1px solid var(--rule);background:var(--panel)}
.site-header .brand{margin:0;font-weight:700;font-size:1.125rem}
.site-header .brand a{color:var(--ink);text-decoration:none}
.site-header nav ul,.case-bar nav ul,.pager ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.site-header .user{margin:0 0 0 auto;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;font-size:.9375rem}
.role{color:var(--muted)}
[aria-current="page"]{font-weight:700;text-decoration:none;border-bottom:3px solid currentColor}
.inline-form{display:inline}
.link-button{background:none;border:0;padding:0;font:inherit;color:var(--link);text-decoration:underline;cursor:pointer;min-height:0}
.case-bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.5rem 1rem;border-bottom:1px solid var(--rule)}
.case-name{margin:0;font-weight:600}
.asof-form{display:flex;align-items:center;gap:.5rem;margin-left:auto}
.asof-form label{font-weight:600}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.625rem;line-height:1.25;margin:.5rem 0 .75rem}
h2{font-size:1.25rem;margin:2rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid var(--rule)}
h3{font-size:1.0625rem;margin:1.25rem 0 .25rem}
.lede{color:var(--muted);margin-top:0}
.note,.hint,.kind,.meta{color:var(--muted)}
p.note,.hint{font-size:.875rem}
.hint{margin:.125rem 0 .25rem}
.flash{background:#dafbe1;border:1px solid var(--ok);padding:.5rem .75rem;border-radius:.25rem}
.figures{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;list-style:none;margin:0;padding:0;color:var(--muted)}
.figures b{color:var(--ink);font-size:1.25rem}
.bottom-line{background:var(--panel);border-left:4px solid var(--ink);padding:.25rem 1rem .5rem;margin-top:1rem}
.bottom-line h2{border:0;margin-top:.5rem}
sup.cite{font-size:.75rem;line-height:0}
.table-wrap{position:relative;overflow-x:auto;max-width:100%;margin:.5rem 0 1rem}
.table-wrap:focus-visible{outline-offset:0}
table.board{width:100%;border-collapse:collapse;font-size:.9375rem}
.board caption{text-align:left}
.board th,.board td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid var(--rule)}
.board thead th{color:var(--muted);font-weight:600;border-bottom:2px solid var(--ink);vertical-align:bottom}
.board tbody th{font-weight:400;min-width:9rem}
.board .num{text-align:right;white-space:nowrap}
.board .date{white-space:nowrap}
.board .src{font-size:.8125rem;color:var(--muted)}
.board.compact{width:auto;min-width:50%}
.name{display:block;font-weight:600}
.rule{display:block;color:var(--muted);font-size:.8125rem}
.needs{margin:0;padding-left:1.1rem}
.badge{display:inline-flex;align-items:center;gap:.25rem;padding:.05rem .45rem;border-radius:.25rem;font-size:.8125rem;font-weight:700;white-space:nowrap;border:1px solid currentColor}
.tone-ok{color:#fff;background:var(--ok);border-color:var(--ok)}
.tone-warn{color:#3b2300;background:var(--warn-bg);border-color:var(--warn)}
.tone-part{color:#fff;background:var(--part);border-color:var(--part)}
.tone-bad{color:#fff;background:var(--bad);border-color:var(--bad)}
.tone-rev{color:#fff;background:var(--rev);border-color:var(--rev)}
.tone-unk{color:var(--ink);background:#eaeef2;border-color:var(--unk)}
.tone-na{color:var(--muted);background:#fff;border-color:var(--rule);border-style:dashed}
.rests{display:block;color:var(--muted);font-size:.8125rem;margin-top:.125rem}
tr.inapplicable th,tr.inapplicable td{color:var(--muted)}
article.inapplicable{color:var(--muted);border-style:dashed}
.basis-summary{background:var(--panel);border-left:3px solid var(--rule);padding:.25rem .75rem}
.grade{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8125rem;border:1px solid var(--rule);border-radius:.2rem;padding:0 .2rem;text-decoration:none}
abbr.grade{cursor:help}
.matrix .interest{text-align:center}
.matrix td.mark{text-align:center;font-size:.8125rem}
.matrix td.none{color:var(--muted)}
.matrix td.claimed{color:var(--link)}
.matrix td.harmed,.matrix td.claimed-harmed{color:var(--bad);font-weight:700}
ol.interests{font-size:.875rem;padding-left:0;list-style:none;columns:18rem}
figure.chart{margin:1rem 0}
.chart-scroll{position:relative;overflow-x:auto}
figure.chart svg{display:block;width:100%;min-width:36rem;height:auto}
figcaption{font-size:.875rem;color:var(--muted);margin-top:.25rem}
figcaption b{color:var(--ink)}
details{margin:.25rem 0}
summary{cursor:pointer}
.alerts{padding-left:1.1rem}
.alerts .when{color:var(--muted);font-size:.875rem}
.citations ol{font-size:.875rem;padding-left:1.75rem}
.citations li{margin-bottom:.35rem}
.digest{font-size:.8125rem;color:var(--muted);overflow-wrap:anywhere}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
.status-line{font-size:1.0625rem}
.reasons li{margin-bottom:.25rem}
article.evidence,article.justification{border:1px solid var(--rule);border-radius:.375rem;padding:.25rem 1rem .75rem;margin:.75rem 0}
article.evidence h3,article.justification h3{margin-top:.5rem}
.facts{display:grid;grid-template-columns:1fr;gap:.125rem 1rem;margin:.5rem 0}
.facts div{display:flex;gap:.5rem}
.facts dt{font-weight:600;min-width:7rem}
.facts dd{margin:0}
.sources-head{font-weight:600;margin:.5rem 0 0}
.sources{margin:.25rem 0;padding-left:1.1rem}
ul.plain{list-style:none;margin:0;padding:0}
blockquote.claim{margin:.5rem 0;padding:.25rem .75rem;border-left:3px solid var(--rule)}
.case-list{list-style:none;padding:0}
.case-item{border-bottom:1px solid var(--rule);padding:.5rem 0}
.case-item h2{border:0;margin:.25rem 0;padding:0}
.action{font-weight:600}
input,select,textarea,button{font:inherit;color:inherit}
input[type=text],input[type=url],input[type=search],input[type=date],input[type=password],select,textarea{width:100%;max-width:40rem;padding:.45rem .5rem;border:1px solid #8c959f;border-radius:.25rem;background:#fff;min-height:2.75rem}
input[type=date]{max-width:12rem}
.asof-form input[type=date]{width:auto}
textarea{min-height:6rem}
select[multiple]{min-height:8rem}
button{min-height:2.75rem;padding:.45rem 1rem;border:1px solid var(--ink);border-radius:.25rem;background:var(--ink);color:#fff;cursor:pointer}
button.secondary{background:#fff;color:var(--ink)}
input[type=checkbox]{width:1.25rem;height:1.25rem;margin:.15rem .5rem 0 0;flex:none}
.field{margin:.75rem 0}
.field label,.field legend{display:block;font-weight:600}
.checkbox{display:flex;align-items:flex-start}
.checkbox label{font-weight:400}
.field.checkbox{flex-wrap:wrap}
.field.checkbox label{font-weight:600;flex:1}
.field.checkbox .hint,.field.checkbox .field-error{flex-basis:100%;margin-left:1.75rem}
.checkbox-columns{columns:16rem;margin-top:.25rem}
.checkbox-columns .checkbox{break-inside:avoid;margin:.2rem 0}
.req,.opt{font-weight:400;color:var(--muted);font-size:.875rem}
fieldset{border:1px solid var(--rule);border-radius:.375rem;margin:1rem 0;padding:.25rem 1rem .75rem;min-width:0}
fieldset legend{font-weight:700;padding:0 .25rem}
fieldset.subgroup{border-style:dashed}
.source-block{background:var(--panel)}
.source-block[data-spare]{border-style:dashed}
.pair,.triple,.grade-pair{display:grid;grid-template-columns:1fr;gap:0 1rem}
.has-error input,.has-error select,.has-error textarea,[aria-invalid=true]{border:2px solid var(--bad)}
.field-error{color:var(--bad);font-weight:600;margin:.25rem 0;font-size:.9375rem}
.field-error::before{content:"⚠ ";font-weight:400}
.error-summary{border:3px solid var(--bad);border-radius:.375rem;padding:.25rem 1rem .5rem;margin:1rem 0}
.error-summary h2{border:0;margin:.5rem 0;color:var(--bad)}
.error-summary:focus{outline:3px solid var(--focus);outline-offset:2px}
.form-actions{display:flex;flex-wrap:wrap;align-items:center;gap:1rem;margin:1rem 0}
.recorded{margin:.75rem 0 0}
.filter-form{display:grid;grid-template-columns:1fr;gap:0 1rem;background:var(--panel);border:1px solid var(--rule);border-radius:.375rem;padding:.25rem 1rem}
.filter-form .field{margin:.5rem 0}
.result-count{font-weight:600}
.pager ul{align-items:center;gap:1rem;margin:1rem 0}
.site-footer{max-width:72rem;margin:2rem auto 0;padding:1rem;border-top:1px solid var(--rule);color:var(--muted);font-size:.875rem}
.status-code{color:var(--muted)}
.bottom-line ul.lines{margin:0 0 .5rem;padding-left:1.25rem}
.bottom-line ul.lines li{margin:0 0 .25rem}
.bottom-line .confidence{color:var(--muted);font-size:.9375rem;margin:0 0 .5rem}
.muted{color:var(--muted)}
.board td .badge{white-space:normal;max-width:100%;overflow-wrap:anywhere}
.board td.src{overflow-wrap:anywhere}
.badge.bad{color:#fff;background:var(--bad);border-color:var(--bad)}
.badge.departure{margin-bottom:.2rem}
.done{display:block}
.when{white-space:nowrap}
a.more{display:block;font-size:.8125rem;margin-top:.25rem}
article.instrument{border:1px solid var(--rule);border-radius:.375rem;padding:.25rem 1rem .75rem;margin:.75rem 0}
article.instrument h3{margin-top:.5rem}
article.instrument h4{margin:.75rem 0 .25rem;font-size:1rem}
article.instrument .facts div{flex-wrap:wrap}
article.instrument .facts dd{min-width:0;flex:1 1 12rem}
article.instrument .badge{white-space:normal;max-width:100%}
.blockers{padding-left:1.1rem;margin:.25rem 0}
.blockers li{margin-bottom:.5rem}
.needs-text{display:block}
ul.fragile,ul.flips{padding-left:1.1rem}
.robust-fragile{color:var(--bad);font-weight:600}
@media (min-width:48em){
  main{padding:1rem 1.5rem}
  .pair,.grade-pair{grid-template-columns:1fr 1fr}
  .triple{grid-template-columns:1fr 1fr 1fr}
  .filter-form{grid-template-columns:repeat(3,1fr)}
  .filter-form .wide{grid-column:1/-1}
  .filter-form .form-actions{grid-column:1/-1}
  .facts{grid-template-columns:1fr 1fr}
}
@media (prefers-reduced-motion:reduce){*{scroll-behavior:auto!important;transition:none!important}}
@media print{.site-header,.case-bar,.skip-link,.filter-form,.pager,.site-footer,form{display:none}main{max-width:none}}
`;
