(function(){
var cites=document.querySelectorAll('a.cite[id]'),firstCite={},lastCite=null;
cites.forEach(function(a){var h=a.getAttribute('href');if(!(h in firstCite))firstCite[h]=a.id;});
var back=document.getElementById('back-to-brief'),preview=document.getElementById('preview');
function hit(){
document.querySelectorAll('.hit').forEach(function(e){e.classList.remove('hit')});
var id;try{id=decodeURIComponent(location.hash.slice(1))}catch(e){return}
var el=id&&document.getElementById(id);
for(var d=el&&el.closest('details');d;d=d.parentElement&&d.parentElement.closest('details'))
{if(!d.open){d.open=true;el.scrollIntoView();}}
if(back){var to=el&&el.dataset.span?(lastCite&&document.getElementById(lastCite)&&document.getElementById(lastCite).getAttribute('href')==='#'+id?lastCite:firstCite['#'+id]):null;
if(to){back.setAttribute('href','#'+to);back.hidden=false;}else{back.hidden=true;}}
if(!el||!el.dataset.span)return;
document.querySelectorAll('[data-span="'+CSS.escape(el.dataset.span)+'"]')
.forEach(function(e){e.classList.add('hit')});}
function closePreview(){if(preview){preview.hidden=true;preview.dataset.for='';}}
function showPreview(a){
preview.querySelector('.preview-outlet').textContent=a.dataset.outlet||'';
preview.querySelector('.preview-text').textContent=a.dataset.passage||a.title||'';
var go=preview.querySelector('.preview-go');go.setAttribute('href',a.getAttribute('href'));go.dataset.from=a.id;
preview.dataset.for=a.id;preview.hidden=false;}
document.addEventListener('click',function(e){
var t=e.target;if(!t||!t.closest)return;
if(t.closest('.preview-close')){e.preventDefault();closePreview();return;}
var go=t.closest('.preview-go');if(go){lastCite=go.dataset.from||null;closePreview();return;}
var a=t.closest('a.cite[data-passage]');
if(!a){if(preview&&!t.closest('#preview'))closePreview();return;}
if(preview&&!window.matchMedia('(hover: hover)').matches&&preview.dataset.for!==a.id){
e.preventDefault();showPreview(a);return;}
lastCite=a.id||null;closePreview();});
window.addEventListener('hashchange',hit);hit();})();
