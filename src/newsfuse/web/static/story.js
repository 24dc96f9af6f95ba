// The served story page: says when new reports join the story (polling the version endpoint, no
// reload until the reader asks, and then back to the same passage, not just the same pixel), and
// offers what is new since the reader's last visit (the article count they had seen, kept in this
// browser only).
(function(){
var live=document.getElementById('live');if(!live)return;
var d=live.dataset,story=d.story,version=d.version,articles=+d.articles,every=Math.max(1,+d.poll||10)*1000;
var STABLE='section[id],article[id],li.fact[id],div.conflict[id],div.quote-group[id]';
var scrollKey='newsfuse.scroll.'+story,visitKey='newsfuse.visit.'+story;
try{
var kept=JSON.parse(sessionStorage.getItem(scrollKey)||'null');
if(kept){sessionStorage.removeItem(scrollKey);var back=function(){var at=kept.id&&document.getElementById(kept.id);window.scrollTo(0,at?at.getBoundingClientRect().top+window.scrollY-kept.offset:kept.y);};if('scrollRestoration' in history)history.scrollRestoration='manual';back();window.addEventListener('load',function(){back();setTimeout(back,0);});}
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
load.addEventListener('click',function(){try{sessionStorage.setItem(scrollKey,JSON.stringify(place()));}catch(e){}});
// The reader's place: the stable anchor (a section, a fact, a source...) nearest above the top of
// the window and how far above it is, so new text higher up does not move the reader; numbered
// anchors (brief-3, c3-1) are left out, as a changed brief renumbers them.
function place(){var best=null,offset=0,nodes=document.querySelectorAll(STABLE);
for(var i=0;i<nodes.length;i++){var top=nodes[i].getBoundingClientRect().top;if(top<=1&&(best===null||top>=offset)){best=nodes[i];offset=top;}}
return {id:best?best.id:null,offset:offset,y:window.scrollY};}
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
