// The served story page: says when new reports join the story (polling the version endpoint, no
// reload until the reader asks, and then back to the same place), and offers what is new since
// the reader's last visit (the article count they had seen, kept in this browser only).
(function(){
var live=document.getElementById('live');if(!live)return;
var d=live.dataset,story=d.story,version=d.version,articles=+d.articles,every=Math.max(1,+d.poll||10)*1000;
var scrollKey='newsfuse.scroll.'+story,visitKey='newsfuse.visit.'+story;
try{
var y=sessionStorage.getItem(scrollKey);
if(y!==null){sessionStorage.removeItem(scrollKey);var back=function(){window.scrollTo(0,+y);};if('scrollRestoration' in history)history.scrollRestoration='manual';back();window.addEventListener('load',function(){back();setTimeout(back,0);});}
var prev=JSON.parse(localStorage.getItem(visitKey)||'null');
var lv=document.getElementById('last-visit');
if(prev&&lv&&prev.articles<articles&&location.search.indexOf('seen=')<0){
var a=lv.querySelector('a');
a.setAttribute('href','?seen='+encodeURIComponent(prev.articles)+'&at='+encodeURIComponent(prev.at));
a.textContent='What\u2019s new since your last visit ('+(articles-prev.articles)+' new report'+(articles-prev.articles===1?'':'s')+')';
lv.hidden=false;}
if(location.search.indexOf('seen=')<0)
localStorage.setItem(visitKey,JSON.stringify({at:new Date().toISOString().slice(0,19),articles:articles}));
}catch(e){}
var load=live.querySelector('.live-load');
load.setAttribute('href',location.pathname);
load.addEventListener('click',function(){try{sessionStorage.setItem(scrollKey,String(window.scrollY));}catch(e){}});
function poll(){
fetch(d.versionUrl,{headers:{'Accept':'application/json'},credentials:'same-origin',cache:'no-store'})
.then(function(r){return r.ok?r.json():null;})
.then(function(now){if(now&&now.version!==version){var n=now.articles-articles;
live.querySelector('.live-text').textContent=n>0?n+' new report'+(n===1?'':'s')+' joined this story.':'This story was updated.';
live.hidden=false;}})
.catch(function(){})
.then(function(){setTimeout(poll,every);});}
setTimeout(poll,every);
})();
