BEGIN TRANSACTION;
CREATE TABLE access_tokens (
	token_hash VARCHAR(64) NOT NULL, 
	credential_id INTEGER NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	scopes JSON NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (token_hash), 
	FOREIGN KEY(credential_id) REFERENCES credentials (id) ON DELETE CASCADE
);
INSERT INTO "access_tokens" VALUES('5b497a63bdccd49c244d2c8ebd5bd806032de639af9e6037fc66491971dfd5e3',2,'demo','["partners"]','2026-12-07 05:29:32.672069');
INSERT INTO "access_tokens" VALUES('aa62406f42c70211aa43749f984c4fe66ffa0dda1400b543dc760b2db16856ce',2,'demo','["partners"]','2026-12-07 05:29:32.770582');
INSERT INTO "access_tokens" VALUES('9b1f10a6f546f376301be8f5b30cb83c37aa41e3ef20113d11068d1a9b19a912',3,'demo','["loyalty"]','2026-12-07 05:29:32.848600');
INSERT INTO "access_tokens" VALUES('4d8e97b25b748ea30b4cea82e0669820f03f057bbd3d213fa32810550b299940',3,'demo','["loyalty"]','2026-12-07 05:29:32.934097');
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO "alembic_version" VALUES('signage_0001');
INSERT INTO "alembic_version" VALUES('loyalty_0001');
INSERT INTO "alembic_version" VALUES('partners_0005');
INSERT INTO "alembic_version" VALUES('surveys_0002');
INSERT INTO "alembic_version" VALUES('core_0005');
CREATE TABLE apps (
	id VARCHAR(64) NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	config JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "apps" VALUES('demo','Demo Rewards','{"surveys":{"currency_factor":"100","termination_url":"https://publisher.example/back?status=terminated&uid=[%UID%]","start_bonus_url":"https://publisher.example/back?status=bonus&uid=[%UID%]&val=[%VAL%]","callback_url":"http://127.0.0.1:9000/callback?uid=[%UID%]&val=[%VAL%]&raw=[%RAW%]&tx=[%TX%]&type=[%TYPE%]","callback_secret":"demo-callback-secret","questions":[{"id":"q-color","type":"SINGLE","text":{"en":"What is your favorite color?","de":"Was ist deine Lieblingsfarbe?"},"answers":[{"code":"1","text":{"en":"Red","de":"Rot"}},{"code":"2","text":{"en":"Blue","de":"Blau"}}],"can_skip":false,"validation":{"min":1,"max":1,"regex":null}},{"id":"q-zip","type":"TEXT","text":{"en":"Your ZIP code?"},"can_skip":true,"example":"10001","validation":{"min":5,"max":5,"regex":"^[0-9]{5}$"}},{"id":"q-birthdate","type":"DATE","text":{"en":"Your date of birth?","de":"Dein Geburtsdatum?"},"birthdate":true,"validation":{"min":18,"max":99,"regex":null}},{"id":"q-cars","type":"NUMBER","text":{"en":"How many cars does your household own?"},"validation":{"min":"0","max":"20","regex":null}},{"id":"q-brands","type":"MULTI","text":{"en":"Which brands have you bought from?"},"answers":[{"code":"a","text":{"en":"Acme"}},{"code":"b","text":{"en":"Globex"}},{"code":"c","text":{"en":"Initech"}}],"validation":{"min":1,"max":2,"regex":null}}],"profile_questions":["q-birthdate"],"list":[{"id":"srv-auto","cpi":"1.20","loi":5.3,"country":"US","language":"en","rating":4,"category":{"name":"Automotive","name_internal":"automotive","icon_name":"car","icon_url":""},"entry_url":"https://surveys.example/start?click={click_id}","questions":[{"id":"q-color","qualifying":["1"]},{"id":"q-zip"},{"id":"q-cars","qualifying":{"min":1,"max":5}}],"quota":{"completes":100,"open_clicks":50,"countries":{"US":{"completes":80}}}},{"id":"srv-brands","cpi":"0.85","loi":12.0,"country":"US","language":"en","rating":3,"category":{"name":"Shopping","name_internal":"shopping","icon_name":"bag","icon_url":""},"entry_url":"https://surveys.example/start?click={click_id}","questions":[{"id":"q-brands","qualifying":["a","b"]}]}],"start_bonus":{"reward":"0.50","questions":["q-zip","q-cars"]},"app_settings":{"light":{"navigation_color":"#1a73e8","background_color":"#f5f7fb","interaction_color":"#1a73e8","survey_icon_color":"#1a73e8"},"dark":{"navigation_color":"#202124","background_color":"#121212","interaction_color":"#8ab4f8"},"currency":{"symbol":"Coins","symbol_is_image":false,"floor_decimal":false}}},"partners":{"links":[{"id":"6006dda272f002519c3eb505","uri":"https://my.stage.org/register?referral=1","name":"Sign-up page","banners":[{"id":"6006dda272f002519c3eb506","name":"Tight Spreads","cdn_file_url":"https://cdn.example/b.png"}],"postback_url":"http://127.0.0.1:9000/postback?click={click_id}&profile={profile_id}&source={utm_source}"}],"duplicate_window_seconds":1800,"blocklist":{"networks":["198.51.100.0/24"],"countries":[]}},"loyalty":{"points_per_unit":"10","near_miss_window":"5.0","currency":"USD","locale":"en-US","offers":[{"id":"spend50","threshold":"50.0","bonus_points":500,"message":{"en":"Spend {gap} more to earn 500 bonus points","fr":"Dépensez {gap} de plus pour gagner 500 points bonis"}}]},"signage":{"campaigns":[{"id":"spring-form","form_url":"https://brand.example/form","statuses":["FORM_SUBMITTED","FORM_REVIEWING","FORM_APPROVED"],"coupon_after":"FORM_APPROVED","coupons":{"codes":["SPRING-0001","SPRING-0002","SPRING-0003"]}},{"id":"summer-quiz","form_url":"https://brand.example/quiz?lang=en","statuses":["QUIZ_STARTED","QUIZ_FINISHED"],"coupon_after":"QUIZ_FINISHED","coupons":{"generate":{"prefix":"SUMMER-","length":8,"count":100}},"session_ttl_seconds":86400}]}}','2026-12-07 04:29:32.139140','2026-12-07 04:29:32.309151');
CREATE TABLE credentials (
	id INTEGER NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	client_id VARCHAR(128), 
	secret_hash VARCHAR(64) NOT NULL, 
	scopes JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	rotated_at DATETIME, 
	revoked_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_credentials_app_id_name UNIQUE (app_id, name), 
	FOREIGN KEY(app_id) REFERENCES apps (id) ON DELETE CASCADE, 
	UNIQUE (client_id), 
	UNIQUE (secret_hash)
);
INSERT INTO "credentials" VALUES(1,'demo','wall',NULL,'eb49f59571d14f797d347c5d3c3ee696dad6a6e95f523d835a428ddcdbd1acc1','["surveys"]','2026-12-07 04:29:32.167638',NULL,NULL);
INSERT INTO "credentials" VALUES(2,'demo','ib','ib-1','a5e71e8bb03f46b6267a29faa7df11a52636761d6d1a766d8bed3a53418d637f','["partners"]','2026-12-07 04:29:32.169943',NULL,NULL);
INSERT INTO "credentials" VALUES(3,'demo','pos','pos-1','e24d3c5bc0bfb9a64d3a8db82845ad7eb63b19a0cadbf5c43fb5d280cc10e37d','["loyalty"]','2026-12-07 04:29:32.171013',NULL,NULL);
INSERT INTO "credentials" VALUES(4,'demo','signage',NULL,'09c72624c8e869f86116208a0c32577fc394148fb851250cbe9d7bbe07351569','["signage"]','2026-12-07 04:29:32.181051',NULL,NULL);
CREATE TABLE journey_events (
	id INTEGER NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	family VARCHAR(16) NOT NULL, 
	journey_id VARCHAR(64) NOT NULL, 
	user_id VARCHAR(255), 
	type VARCHAR(64) NOT NULL, 
	payload JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "journey_events" VALUES(1,'demo','surveys','04761110-9e5a-4156-8038-073aea703ca4','alice','click.created','{"survey_id":"srv-auto","click_type":"survey","question_mode":"first","country":"US","required_questions":4}','2026-12-07 04:29:32.444698');
INSERT INTO "journey_events" VALUES(2,'demo','surveys','04761110-9e5a-4156-8038-073aea703ca4','alice','question.answered','{"survey_id":"srv-auto","question_id":"q-birthdate","position":0,"qualifies":true}','2026-12-07 04:29:32.475831');
INSERT INTO "journey_events" VALUES(3,'demo','surveys','04761110-9e5a-4156-8038-073aea703ca4','alice','question.answered','{"survey_id":"srv-auto","question_id":"q-color","position":1,"qualifies":true,"answers":["1"]}','2026-12-07 04:29:32.479588');
INSERT INTO "journey_events" VALUES(4,'demo','surveys','04761110-9e5a-4156-8038-073aea703ca4','alice','question.skipped','{"survey_id":"srv-auto","question_id":"q-zip","position":2}','2026-12-07 04:29:32.482335');
INSERT INTO "journey_events" VALUES(5,'demo','surveys','04761110-9e5a-4156-8038-073aea703ca4','alice','question.answered','{"survey_id":"srv-auto","question_id":"q-cars","position":3,"qualifies":true}','2026-12-07 04:29:32.487110');
INSERT INTO "journey_events" VALUES(6,'demo','surveys','04761110-9e5a-4156-8038-073aea703ca4','alice','click.qualified','{"survey_id":"srv-auto","country":"US","cpi":"1.2"}','2026-12-07 04:29:32.487463');
INSERT INTO "journey_events" VALUES(7,'demo','surveys','04761110-9e5a-4156-8038-073aea703ca4','alice','survey.completed','{"survey_id":"srv-auto","country":"US","cpi":"1.2","tx":"fa02a284b1637faa0be7425343a719e5"}','2026-12-07 04:29:32.531108');
INSERT INTO "journey_events" VALUES(8,'demo','surveys','dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9','bob','click.created','{"survey_id":"srv-auto","click_type":"survey","question_mode":"first","country":"US","required_questions":4}','2026-12-07 04:29:32.565452');
INSERT INTO "journey_events" VALUES(9,'demo','surveys','dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9','bob','question.answered','{"survey_id":"srv-auto","question_id":"q-birthdate","position":0,"qualifies":true}','2026-12-07 04:29:32.577340');
INSERT INTO "journey_events" VALUES(10,'demo','surveys','dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9','bob','question.answered','{"survey_id":"srv-auto","question_id":"q-color","position":1,"qualifies":true,"answers":["1"]}','2026-12-07 04:29:32.580260');
INSERT INTO "journey_events" VALUES(11,'demo','surveys','dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9','bob','question.skipped','{"survey_id":"srv-auto","question_id":"q-zip","position":2}','2026-12-07 04:29:32.584834');
INSERT INTO "journey_events" VALUES(12,'demo','surveys','dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9','bob','question.answered','{"survey_id":"srv-auto","question_id":"q-cars","position":3,"qualifies":true}','2026-12-07 04:29:32.629426');
INSERT INTO "journey_events" VALUES(13,'demo','surveys','dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9','bob','click.qualified','{"survey_id":"srv-auto","country":"US","cpi":"1.2"}','2026-12-07 04:29:32.629805');
INSERT INTO "journey_events" VALUES(14,'demo','surveys','dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9','bob','survey.completed','{"survey_id":"srv-auto","country":"US","cpi":"1.2","tx":"0ce5ba5c36e7c1a8a1fe6d825666f2f3"}','2026-12-07 04:29:32.661659');
INSERT INTO "journey_events" VALUES(15,'demo','partners','6b16362c6b0254e6e215ea13',NULL,'click.created','{"click_id":"6b16362c6b0254e6e215ea13","link_id":"6006dda272f002519c3eb505","banner_id":null,"country_code":"EE","verdict":"ok","reason":null,"unique":true,"bot":false,"browser":"Apple Mail","os":"Mac OS X","device":"Mac","utm_source":"youtube.com","utm_medium":null,"utm_campaign":"sport","referrer_host":"twitter.com"}','2026-12-07 04:29:32.685000');
INSERT INTO "journey_events" VALUES(16,'demo','partners','6b16362c6b0254e6e215ea13','baf317c7ea3a4fda1a22b67e','click.registered','{"click_id":"6b16362c6b0254e6e215ea13","link_id":"6006dda272f002519c3eb505","country_code":"EE","profile_country_code":"EE","enabled":true,"banner_id":null,"utm_source":"youtube.com","utm_medium":null,"utm_campaign":"sport","referrer_host":"twitter.com","browser":"Apple Mail","os":"Mac OS X","device":"Mac","verdict":"ok"}','2026-12-07 04:29:32.702000');
INSERT INTO "journey_events" VALUES(17,'demo','partners','6b16362c6b0254e6e215ea14',NULL,'click.created','{"click_id":"6b16362c6b0254e6e215ea14","link_id":"6006dda272f002519c3eb505","banner_id":null,"country_code":"GB","verdict":"ok","reason":null,"unique":true,"bot":false,"browser":"Apple Mail","os":"Mac OS X","device":"Mac","utm_source":"youtube.com","utm_medium":null,"utm_campaign":"sport","referrer_host":"twitter.com"}','2026-12-07 04:29:32.794000');
INSERT INTO "journey_events" VALUES(18,'demo','partners','6b16362c6b0254e6e215ea14','4017c26586ac0791ae1836cb','click.registered','{"click_id":"6b16362c6b0254e6e215ea14","link_id":"6006dda272f002519c3eb505","country_code":"GB","profile_country_code":"EE","enabled":true,"banner_id":null,"utm_source":"youtube.com","utm_medium":null,"utm_campaign":"sport","referrer_host":"twitter.com","browser":"Apple Mail","os":"Mac OS X","device":"Mac","verdict":"ok"}','2026-12-07 04:29:32.802000');
INSERT INTO "journey_events" VALUES(19,'demo','loyalty','till-1','5805400172139329','member.enrolled','{"accountId":"ef94b1b3-edaf-4ced-9f21-5e0594d19679","identifierType":"EMAIL"}','2026-12-07 04:29:32.863621');
INSERT INTO "journey_events" VALUES(20,'demo','loyalty','till-1','5805400172139329','session.started','{"anonymous":false,"channel":"STORE","identifierType":"EMAIL","enrolled":true}','2026-12-07 04:29:32.864229');
INSERT INTO "journey_events" VALUES(21,'demo','loyalty','till-1','5805400172139329','trial.recorded','{"callId":"till-1-t1","amount":"46.50","currency":"USD","estimatedPoints":465,"prompts":1,"channel":"STORE"}','2026-12-07 04:29:32.872071');
INSERT INTO "journey_events" VALUES(22,'demo','loyalty','till-1','5805400172139329','prompt.shown','{"promptMessageId":"01a24ec3-9f46-78e6-8baf-7885486c119a","offerId":"spend50","gap":"3.50","channel":"STORE"}','2026-12-07 04:29:32.872071');
INSERT INTO "journey_events" VALUES(23,'demo','loyalty','till-1','5805400172139329','prompt.answered','{"promptMessageId":"01a24ec3-9f46-78e6-8baf-7885486c119a","offerId":"spend50","response":"accepted","previous":null,"gap":"3.50","channel":"STORE"}','2026-12-07 04:29:32.881137');
INSERT INTO "journey_events" VALUES(24,'demo','loyalty','till-1','5805400172139329','transaction.finalized','{"transactionId":"7d4d1e15-e659-4373-a910-096aaba31512","callId":"till-1-f1","amount":"50.00","currency":"USD","basePoints":500,"bonusPoints":500,"offers":["spend50"],"anonymous":false,"confirmationMode":null,"channel":"STORE"}','2026-12-07 04:29:32.906061');
INSERT INTO "journey_events" VALUES(25,'demo','loyalty','till-2','8577222152105892','member.enrolled','{"accountId":"fdb1fa0b-d904-4170-b8d4-1a7f4e9f0fba","identifierType":"EMAIL"}','2026-12-07 04:29:32.947019');
INSERT INTO "journey_events" VALUES(26,'demo','loyalty','till-2','8577222152105892','session.started','{"anonymous":false,"channel":"STORE","identifierType":"EMAIL","enrolled":true}','2026-12-07 04:29:32.947677');
INSERT INTO "journey_events" VALUES(27,'demo','loyalty','till-2','8577222152105892','trial.recorded','{"callId":"till-2-t1","amount":"46.50","currency":"USD","estimatedPoints":465,"prompts":1,"channel":"STORE"}','2026-12-07 04:29:32.957201');
INSERT INTO "journey_events" VALUES(28,'demo','loyalty','till-2','8577222152105892','prompt.shown','{"promptMessageId":"01a24ec3-9f9c-71b0-a204-9dbaf4753fd6","offerId":"spend50","gap":"3.50","channel":"STORE"}','2026-12-07 04:29:32.957201');
INSERT INTO "journey_events" VALUES(29,'demo','loyalty','till-2','8577222152105892','prompt.answered','{"promptMessageId":"01a24ec3-9f9c-71b0-a204-9dbaf4753fd6","offerId":"spend50","response":"accepted","previous":null,"gap":"3.50","channel":"STORE"}','2026-12-07 04:29:32.981266');
INSERT INTO "journey_events" VALUES(30,'demo','loyalty','till-2','8577222152105892','transaction.finalized','{"transactionId":"1ff5ad9c-5c8a-4dc0-a552-0f2fc3154ee4","callId":"till-2-f1","amount":"50.00","currency":"USD","basePoints":500,"bonusPoints":500,"offers":["spend50"],"anonymous":false,"confirmationMode":null,"channel":"STORE"}','2026-12-07 04:29:33.007122');
INSERT INTO "journey_events" VALUES(31,'demo','signage','01a24ec3-9fd8-793c-a3b5-5270d4e9408f',NULL,'scan.recorded','{"campaign_id":"spring-form","ip":"127.0.0.1","country":null,"browser":"Mobile Safari UI/WKWebView","os":"iOS","device":"iPhone","is_bot":false,"is_link_preview":false}','2026-12-07 04:29:33.016843');
INSERT INTO "journey_events" VALUES(32,'demo','signage','01a24ec3-9fd8-793c-a3b5-5270d4e9408f',NULL,'status.changed','{"campaign_id":"spring-form","from":null,"to":"FORM_SUBMITTED","skipped":[]}','2026-12-07 04:29:33.027382');
INSERT INTO "journey_events" VALUES(33,'demo','signage','01a24ec3-9fd8-793c-a3b5-5270d4e9408f',NULL,'status.changed','{"campaign_id":"spring-form","from":"FORM_SUBMITTED","to":"FORM_APPROVED","skipped":["FORM_REVIEWING"]}','2026-12-07 04:29:33.055449');
INSERT INTO "journey_events" VALUES(34,'demo','signage','01a24ec3-9fd8-793c-a3b5-5270d4e9408f',NULL,'coupon.issued','{"campaign_id":"spring-form","coupon_code":"SPRING-0001","status":"FORM_APPROVED"}','2026-12-07 04:29:33.070983');
INSERT INTO "journey_events" VALUES(35,'demo','signage','01a24ec3-a03b-7284-9c5f-141b88c1d357',NULL,'scan.recorded','{"campaign_id":"spring-form","ip":"127.0.0.1","country":null,"browser":"Mobile Safari UI/WKWebView","os":"iOS","device":"iPhone","is_bot":false,"is_link_preview":false}','2026-12-07 04:29:33.115689');
INSERT INTO "journey_events" VALUES(36,'demo','signage','01a24ec3-a03b-7284-9c5f-141b88c1d357',NULL,'status.changed','{"campaign_id":"spring-form","from":null,"to":"FORM_SUBMITTED","skipped":[]}','2026-12-07 04:29:33.124826');
INSERT INTO "journey_events" VALUES(37,'demo','signage','01a24ec3-a03b-7284-9c5f-141b88c1d357',NULL,'status.changed','{"campaign_id":"spring-form","from":"FORM_SUBMITTED","to":"FORM_APPROVED","skipped":["FORM_REVIEWING"]}','2026-12-07 04:29:33.145425');
INSERT INTO "journey_events" VALUES(38,'demo','signage','01a24ec3-a03b-7284-9c5f-141b88c1d357',NULL,'coupon.issued','{"campaign_id":"spring-form","coupon_code":"SPRING-0002","status":"FORM_APPROVED"}','2026-12-07 04:29:33.179872');
CREATE TABLE loyalty_member_identifiers (
	app_id VARCHAR(64) NOT NULL, 
	identifier_type VARCHAR(32) NOT NULL, 
	value VARCHAR(255) NOT NULL, 
	member_id INTEGER NOT NULL, 
	PRIMARY KEY (app_id, identifier_type, value), 
	FOREIGN KEY(member_id) REFERENCES loyalty_members (id) ON DELETE CASCADE
);
INSERT INTO "loyalty_member_identifiers" VALUES('demo','ACCOUNT_ID','ef94b1b3-edaf-4ced-9f21-5e0594d19679',1);
INSERT INTO "loyalty_member_identifiers" VALUES('demo','EMAIL','ann@example.com',1);
INSERT INTO "loyalty_member_identifiers" VALUES('demo','LOYALTY_ID','5805400172139329',1);
INSERT INTO "loyalty_member_identifiers" VALUES('demo','ACCOUNT_ID','fdb1fa0b-d904-4170-b8d4-1a7f4e9f0fba',2);
INSERT INTO "loyalty_member_identifiers" VALUES('demo','EMAIL','ben@example.com',2);
INSERT INTO "loyalty_member_identifiers" VALUES('demo','LOYALTY_ID','8577222152105892',2);
CREATE TABLE loyalty_members (
	id INTEGER NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	account_id VARCHAR(128) NOT NULL, 
	loyalty_id VARCHAR(128) NOT NULL, 
	points_balance BIGINT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_loyalty_members_app_id_account_id UNIQUE (app_id, account_id), 
	CONSTRAINT uq_loyalty_members_app_id_loyalty_id UNIQUE (app_id, loyalty_id), 
	FOREIGN KEY(app_id) REFERENCES apps (id) ON DELETE CASCADE
);
INSERT INTO "loyalty_members" VALUES(1,'demo','ef94b1b3-edaf-4ced-9f21-5e0594d19679','5805400172139329',1000,'2026-12-07 04:29:32.861708');
INSERT INTO "loyalty_members" VALUES(2,'demo','fdb1fa0b-d904-4170-b8d4-1a7f4e9f0fba','8577222152105892',1000,'2026-12-07 04:29:32.946121');
CREATE TABLE loyalty_offers (
	app_id VARCHAR(64) NOT NULL, 
	id VARCHAR(64) NOT NULL, 
	threshold_cents BIGINT NOT NULL, 
	bonus_points BIGINT NOT NULL, 
	message JSON NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (app_id, id), 
	FOREIGN KEY(app_id) REFERENCES apps (id) ON DELETE CASCADE
);
INSERT INTO "loyalty_offers" VALUES('demo','spend50',5000,500,'{"en":"Spend {gap} more to earn 500 bonus points","fr":"Dépensez {gap} de plus pour gagner 500 points bonis"}',0);
CREATE TABLE loyalty_programs (
	app_id VARCHAR(64) NOT NULL, 
	points_per_unit VARCHAR(32) NOT NULL, 
	near_miss_window_cents BIGINT NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	locale VARCHAR(32) NOT NULL, 
	PRIMARY KEY (app_id), 
	FOREIGN KEY(app_id) REFERENCES apps (id) ON DELETE CASCADE
);
INSERT INTO "loyalty_programs" VALUES('demo','10',500,'USD','en-US');
CREATE TABLE loyalty_prompts (
	id INTEGER NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	prompt_id VARCHAR(64) NOT NULL, 
	session_id INTEGER NOT NULL, 
	trial_id INTEGER NOT NULL, 
	offer_id VARCHAR(64) NOT NULL, 
	gap_cents BIGINT NOT NULL, 
	message TEXT NOT NULL, 
	response VARCHAR(16), 
	answered_at DATETIME, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_loyalty_prompts_app_id_prompt_id UNIQUE (app_id, prompt_id), 
	FOREIGN KEY(session_id) REFERENCES loyalty_sessions (id) ON DELETE CASCADE, 
	FOREIGN KEY(trial_id) REFERENCES loyalty_trials (id) ON DELETE CASCADE
);
INSERT INTO "loyalty_prompts" VALUES(1,'demo','01a24ec3-9f46-78e6-8baf-7885486c119a',1,1,'spend50',350,'Spend $3.50 more to earn 500 bonus points','accepted','2026-12-07 04:29:32.879258','2026-12-07 04:29:32.872071');
INSERT INTO "loyalty_prompts" VALUES(2,'demo','01a24ec3-9f9c-71b0-a204-9dbaf4753fd6',2,2,'spend50',350,'Spend $3.50 more to earn 500 bonus points','accepted','2026-12-07 04:29:32.981031','2026-12-07 04:29:32.957201');
CREATE TABLE loyalty_sessions (
	id INTEGER NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	correlation_id VARCHAR(64) NOT NULL, 
	member_id INTEGER, 
	channel VARCHAR(32) NOT NULL, 
	locale VARCHAR(32) NOT NULL, 
	external_identifier VARCHAR(255), 
	state VARCHAR(16) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_loyalty_sessions_app_id_correlation_id UNIQUE (app_id, correlation_id), 
	FOREIGN KEY(app_id) REFERENCES apps (id) ON DELETE CASCADE, 
	FOREIGN KEY(member_id) REFERENCES loyalty_members (id) ON DELETE CASCADE
);
INSERT INTO "loyalty_sessions" VALUES(1,'demo','till-1',1,'STORE','en-US',NULL,'finalized','2026-12-07 04:29:32.862662','2026-12-07 04:29:32.903027');
INSERT INTO "loyalty_sessions" VALUES(2,'demo','till-2',2,'STORE','en-US',NULL,'finalized','2026-12-07 04:29:32.946635','2026-12-07 04:29:33.005618');
CREATE TABLE loyalty_transactions (
	id INTEGER NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	transaction_id VARCHAR(64) NOT NULL, 
	session_id INTEGER NOT NULL, 
	member_id INTEGER, 
	call_id VARCHAR(64) NOT NULL, 
	amount_cents BIGINT NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	base_points BIGINT NOT NULL, 
	bonus_points BIGINT NOT NULL, 
	transaction_date DATETIME NOT NULL, 
	response JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_loyalty_transactions_app_id_transaction_id UNIQUE (app_id, transaction_id), 
	CONSTRAINT uq_loyalty_transactions_session_id UNIQUE (session_id), 
	FOREIGN KEY(session_id) REFERENCES loyalty_sessions (id) ON DELETE CASCADE, 
	FOREIGN KEY(member_id) REFERENCES loyalty_members (id) ON DELETE CASCADE
);
INSERT INTO "loyalty_transactions" VALUES(1,'demo','7d4d1e15-e659-4373-a910-096aaba31512',1,1,'till-1-f1',5000,'USD',500,500,'2026-11-23 10:15:00.000000','{"transactionId":"7d4d1e15-e659-4373-a910-096aaba31512","correlationId":"till-1","callId":"till-1-f1","action":"PURCHASE","channel":"STORE","transactionDate":"2026-11-23T10:15:00Z","loyaltyId":"5805400172139329","accountId":"ef94b1b3-edaf-4ced-9f21-5e0594d19679","basket":{"amount":"50.00","currency":"USD"},"tender":null,"earned":{"basePoints":500,"bonusPoints":500,"totalPoints":1000},"offerRewards":[{"offerId":"spend50","type":"POINTS","threshold":"50.00","points":500}],"redeemed":[],"pointsBalance":1000}','2026-12-07 04:29:32.905774');
INSERT INTO "loyalty_transactions" VALUES(2,'demo','1ff5ad9c-5c8a-4dc0-a552-0f2fc3154ee4',2,2,'till-2-f1',5000,'USD',500,500,'2026-11-23 10:15:00.000000','{"transactionId":"1ff5ad9c-5c8a-4dc0-a552-0f2fc3154ee4","correlationId":"till-2","callId":"till-2-f1","action":"PURCHASE","channel":"STORE","transactionDate":"2026-11-23T10:15:00Z","loyaltyId":"8577222152105892","accountId":"fdb1fa0b-d904-4170-b8d4-1a7f4e9f0fba","basket":{"amount":"50.00","currency":"USD"},"tender":null,"earned":{"basePoints":500,"bonusPoints":500,"totalPoints":1000},"offerRewards":[{"offerId":"spend50","type":"POINTS","threshold":"50.00","points":500}],"redeemed":[],"pointsBalance":1000}','2026-12-07 04:29:33.006928');
CREATE TABLE loyalty_trials (
	id INTEGER NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	session_id INTEGER NOT NULL, 
	call_id VARCHAR(64) NOT NULL, 
	amount_cents BIGINT NOT NULL, 
	response JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_loyalty_trials_session_id_call_id UNIQUE (session_id, call_id), 
	FOREIGN KEY(session_id) REFERENCES loyalty_sessions (id) ON DELETE CASCADE
);
INSERT INTO "loyalty_trials" VALUES(1,'demo',1,'till-1-t1',4650,'{"correlationId":"till-1","callId":"till-1-t1","action":"PURCHASE","channel":"STORE","transactionDate":"2026-11-23T10:15:00Z","locale":"en-US","loyaltyId":"5805400172139329","basket":{"amount":"46.50","currency":"USD","lineItemCount":0},"estimate":{"basePoints":465,"bonusPoints":0,"totalPoints":465},"offers":[{"offerId":"spend50","threshold":"50.00","bonusPoints":500,"met":false,"gap":"3.50"}],"nearMiss":[{"promptMessageID":"01a24ec3-9f46-78e6-8baf-7885486c119a","offerId":"spend50","gap":"3.50","bonusPoints":500,"promptMessage":"Spend $3.50 more to earn 500 bonus points"}],"gap":"3.50","promptMessageID":"01a24ec3-9f46-78e6-8baf-7885486c119a","promptMessage":"Spend $3.50 more to earn 500 bonus points"}','2026-12-07 04:29:32.872071');
INSERT INTO "loyalty_trials" VALUES(2,'demo',2,'till-2-t1',4650,'{"correlationId":"till-2","callId":"till-2-t1","action":"PURCHASE","channel":"STORE","transactionDate":"2026-11-23T10:15:00Z","locale":"en-US","loyaltyId":"8577222152105892","basket":{"amount":"46.50","currency":"USD","lineItemCount":0},"estimate":{"basePoints":465,"bonusPoints":0,"totalPoints":465},"offers":[{"offerId":"spend50","threshold":"50.00","bonusPoints":500,"met":false,"gap":"3.50"}],"nearMiss":[{"promptMessageID":"01a24ec3-9f9c-71b0-a204-9dbaf4753fd6","offerId":"spend50","gap":"3.50","bonusPoints":500,"promptMessage":"Spend $3.50 more to earn 500 bonus points"}],"gap":"3.50","promptMessageID":"01a24ec3-9f9c-71b0-a204-9dbaf4753fd6","promptMessage":"Spend $3.50 more to earn 500 bonus points"}','2026-12-07 04:29:32.957201');
CREATE TABLE outbox (
	id INTEGER NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	topic VARCHAR(64) NOT NULL, 
	method VARCHAR(8) NOT NULL, 
	url VARCHAR(4096) NOT NULL, 
	headers JSON NOT NULL, 
	body TEXT, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	last_error VARCHAR(1024), 
	created_at DATETIME NOT NULL, 
	delivered_at DATETIME, webhook_id INTEGER, 
	PRIMARY KEY (id)
);
INSERT INTO "outbox" VALUES(1,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"click.created","X-Clicktrail-Delivery":"msg_01a24ec3-9d9d-730f-a304-3972ba05f720"}','{"id":"msg_01a24ec3-9d9d-730f-a304-3972ba05f720","app_id":"demo","family":"surveys","type":"click.created","journey_id":"04761110-9e5a-4156-8038-073aea703ca4","user_id":"alice","payload":{"survey_id":"srv-auto","click_type":"survey","question_mode":"first","country":"US","required_questions":4},"created_at":"2026-12-07T04:29:32.444698+00:00"}','pending',0,'2026-12-07 04:29:32.444698',NULL,'2026-12-07 04:29:32.444698',NULL,1);
INSERT INTO "outbox" VALUES(2,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"question.answered","X-Clicktrail-Delivery":"msg_01a24ec3-9dbc-7ba5-b0ca-485f51ae60b9"}','{"id":"msg_01a24ec3-9dbc-7ba5-b0ca-485f51ae60b9","app_id":"demo","family":"surveys","type":"question.answered","journey_id":"04761110-9e5a-4156-8038-073aea703ca4","user_id":"alice","payload":{"survey_id":"srv-auto","question_id":"q-birthdate","position":0,"qualifies":true},"created_at":"2026-12-07T04:29:32.475831+00:00"}','pending',0,'2026-12-07 04:29:32.475831',NULL,'2026-12-07 04:29:32.475831',NULL,1);
INSERT INTO "outbox" VALUES(3,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"question.answered","X-Clicktrail-Delivery":"msg_01a24ec3-9dbf-7842-b5d5-3bd3802c1aa8"}','{"id":"msg_01a24ec3-9dbf-7842-b5d5-3bd3802c1aa8","app_id":"demo","family":"surveys","type":"question.answered","journey_id":"04761110-9e5a-4156-8038-073aea703ca4","user_id":"alice","payload":{"survey_id":"srv-auto","question_id":"q-color","position":1,"qualifies":true,"answers":["1"]},"created_at":"2026-12-07T04:29:32.479588+00:00"}','pending',0,'2026-12-07 04:29:32.479588',NULL,'2026-12-07 04:29:32.479588',NULL,1);
INSERT INTO "outbox" VALUES(4,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"question.skipped","X-Clicktrail-Delivery":"msg_01a24ec3-9dc2-7e4a-9a45-0699418382b0"}','{"id":"msg_01a24ec3-9dc2-7e4a-9a45-0699418382b0","app_id":"demo","family":"surveys","type":"question.skipped","journey_id":"04761110-9e5a-4156-8038-073aea703ca4","user_id":"alice","payload":{"survey_id":"srv-auto","question_id":"q-zip","position":2},"created_at":"2026-12-07T04:29:32.482335+00:00"}','pending',0,'2026-12-07 04:29:32.482335',NULL,'2026-12-07 04:29:32.482335',NULL,1);
INSERT INTO "outbox" VALUES(5,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"question.answered","X-Clicktrail-Delivery":"msg_01a24ec3-9dc7-7d8a-81a7-27d142dcebe5"}','{"id":"msg_01a24ec3-9dc7-7d8a-81a7-27d142dcebe5","app_id":"demo","family":"surveys","type":"question.answered","journey_id":"04761110-9e5a-4156-8038-073aea703ca4","user_id":"alice","payload":{"survey_id":"srv-auto","question_id":"q-cars","position":3,"qualifies":true},"created_at":"2026-12-07T04:29:32.487110+00:00"}','pending',0,'2026-12-07 04:29:32.487110',NULL,'2026-12-07 04:29:32.487110',NULL,1);
INSERT INTO "outbox" VALUES(6,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"click.qualified","X-Clicktrail-Delivery":"msg_01a24ec3-9dc7-71e4-b553-72a58d0a53df"}','{"id":"msg_01a24ec3-9dc7-71e4-b553-72a58d0a53df","app_id":"demo","family":"surveys","type":"click.qualified","journey_id":"04761110-9e5a-4156-8038-073aea703ca4","user_id":"alice","payload":{"survey_id":"srv-auto","country":"US","cpi":"1.2"},"created_at":"2026-12-07T04:29:32.487463+00:00"}','pending',0,'2026-12-07 04:29:32.487463',NULL,'2026-12-07 04:29:32.487463',NULL,1);
INSERT INTO "outbox" VALUES(7,'demo','surveys.callback','GET','http://127.0.0.1:9000/callback?uid=alice&val=120&raw=1.2&tx=fa02a284b1637faa0be7425343a719e5&type=COMPLETE&hash=284a0a5d7cdb59c4bb83b174bebcc96f3950b14b','{}',NULL,'pending',0,'2026-12-07 04:29:32.529222',NULL,'2026-12-07 04:29:32.529222',NULL,NULL);
INSERT INTO "outbox" VALUES(8,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"survey.completed","X-Clicktrail-Delivery":"msg_01a24ec3-9dfd-7de7-98a0-3ecd19734f83"}','{"id":"msg_01a24ec3-9dfd-7de7-98a0-3ecd19734f83","app_id":"demo","family":"surveys","type":"survey.completed","journey_id":"04761110-9e5a-4156-8038-073aea703ca4","user_id":"alice","payload":{"survey_id":"srv-auto","country":"US","cpi":"1.2","tx":"fa02a284b1637faa0be7425343a719e5"},"created_at":"2026-12-07T04:29:32.531108+00:00"}','pending',0,'2026-12-07 04:29:32.531108',NULL,'2026-12-07 04:29:32.531108',NULL,1);
INSERT INTO "outbox" VALUES(9,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"click.created","X-Clicktrail-Delivery":"msg_01a24ec3-9e15-709b-acd3-92521d0b6abe"}','{"id":"msg_01a24ec3-9e15-709b-acd3-92521d0b6abe","app_id":"demo","family":"surveys","type":"click.created","journey_id":"dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9","user_id":"bob","payload":{"survey_id":"srv-auto","click_type":"survey","question_mode":"first","country":"US","required_questions":4},"created_at":"2026-12-07T04:29:32.565452+00:00"}','pending',0,'2026-12-07 04:29:32.565452',NULL,'2026-12-07 04:29:32.565452',NULL,1);
INSERT INTO "outbox" VALUES(10,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"question.answered","X-Clicktrail-Delivery":"msg_01a24ec3-9e21-7b1a-8aba-9087c5ab80b7"}','{"id":"msg_01a24ec3-9e21-7b1a-8aba-9087c5ab80b7","app_id":"demo","family":"surveys","type":"question.answered","journey_id":"dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9","user_id":"bob","payload":{"survey_id":"srv-auto","question_id":"q-birthdate","position":0,"qualifies":true},"created_at":"2026-12-07T04:29:32.577340+00:00"}','pending',0,'2026-12-07 04:29:32.577340',NULL,'2026-12-07 04:29:32.577340',NULL,1);
INSERT INTO "outbox" VALUES(11,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"question.answered","X-Clicktrail-Delivery":"msg_01a24ec3-9e24-7f0c-81c6-32d42f5dad6e"}','{"id":"msg_01a24ec3-9e24-7f0c-81c6-32d42f5dad6e","app_id":"demo","family":"surveys","type":"question.answered","journey_id":"dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9","user_id":"bob","payload":{"survey_id":"srv-auto","question_id":"q-color","position":1,"qualifies":true,"answers":["1"]},"created_at":"2026-12-07T04:29:32.580260+00:00"}','pending',0,'2026-12-07 04:29:32.580260',NULL,'2026-12-07 04:29:32.580260',NULL,1);
INSERT INTO "outbox" VALUES(12,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"question.skipped","X-Clicktrail-Delivery":"msg_01a24ec3-9e29-7d05-8637-e2883e6ca9bc"}','{"id":"msg_01a24ec3-9e29-7d05-8637-e2883e6ca9bc","app_id":"demo","family":"surveys","type":"question.skipped","journey_id":"dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9","user_id":"bob","payload":{"survey_id":"srv-auto","question_id":"q-zip","position":2},"created_at":"2026-12-07T04:29:32.584834+00:00"}','pending',0,'2026-12-07 04:29:32.584834',NULL,'2026-12-07 04:29:32.584834',NULL,1);
INSERT INTO "outbox" VALUES(13,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"question.answered","X-Clicktrail-Delivery":"msg_01a24ec3-9e55-7f44-b43e-7ded182195d2"}','{"id":"msg_01a24ec3-9e55-7f44-b43e-7ded182195d2","app_id":"demo","family":"surveys","type":"question.answered","journey_id":"dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9","user_id":"bob","payload":{"survey_id":"srv-auto","question_id":"q-cars","position":3,"qualifies":true},"created_at":"2026-12-07T04:29:32.629426+00:00"}','pending',0,'2026-12-07 04:29:32.629426',NULL,'2026-12-07 04:29:32.629426',NULL,1);
INSERT INTO "outbox" VALUES(14,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"click.qualified","X-Clicktrail-Delivery":"msg_01a24ec3-9e55-7667-9087-a8f66aea59df"}','{"id":"msg_01a24ec3-9e55-7667-9087-a8f66aea59df","app_id":"demo","family":"surveys","type":"click.qualified","journey_id":"dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9","user_id":"bob","payload":{"survey_id":"srv-auto","country":"US","cpi":"1.2"},"created_at":"2026-12-07T04:29:32.629805+00:00"}','pending',0,'2026-12-07 04:29:32.629805',NULL,'2026-12-07 04:29:32.629805',NULL,1);
INSERT INTO "outbox" VALUES(15,'demo','surveys.callback','GET','http://127.0.0.1:9000/callback?uid=bob&val=120&raw=1.2&tx=0ce5ba5c36e7c1a8a1fe6d825666f2f3&type=COMPLETE&hash=1265cc9ef380e385bbf0ccb594305a6fc0990ecb','{}',NULL,'pending',0,'2026-12-07 04:29:32.660915',NULL,'2026-12-07 04:29:32.660915',NULL,NULL);
INSERT INTO "outbox" VALUES(16,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"survey.completed","X-Clicktrail-Delivery":"msg_01a24ec3-9e76-7aa6-9ae5-a019d380a27f"}','{"id":"msg_01a24ec3-9e76-7aa6-9ae5-a019d380a27f","app_id":"demo","family":"surveys","type":"survey.completed","journey_id":"dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9","user_id":"bob","payload":{"survey_id":"srv-auto","country":"US","cpi":"1.2","tx":"0ce5ba5c36e7c1a8a1fe6d825666f2f3"},"created_at":"2026-12-07T04:29:32.661659+00:00"}','pending',0,'2026-12-07 04:29:32.661659',NULL,'2026-12-07 04:29:32.661659',NULL,1);
INSERT INTO "outbox" VALUES(17,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"click.created","X-Clicktrail-Delivery":"msg_01a24ec3-9e8e-749a-867f-0ce9c9a22e17"}','{"id":"msg_01a24ec3-9e8e-749a-867f-0ce9c9a22e17","app_id":"demo","family":"partners","type":"click.created","journey_id":"6b16362c6b0254e6e215ea13","user_id":null,"payload":{"click_id":"6b16362c6b0254e6e215ea13","link_id":"6006dda272f002519c3eb505","banner_id":null,"country_code":"EE","verdict":"ok","reason":null,"unique":true,"bot":false,"browser":"Apple Mail","os":"Mac OS X","device":"Mac","utm_source":"youtube.com","utm_medium":null,"utm_campaign":"sport","referrer_host":"twitter.com"},"created_at":"2026-12-07T04:29:32.685000+00:00"}','pending',0,'2026-12-07 04:29:32.685000',NULL,'2026-12-07 04:29:32.685000',NULL,1);
INSERT INTO "outbox" VALUES(18,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"click.registered","X-Clicktrail-Delivery":"msg_01a24ec3-9ec8-72bc-9f84-b41b78f968a5"}','{"id":"msg_01a24ec3-9ec8-72bc-9f84-b41b78f968a5","app_id":"demo","family":"partners","type":"click.registered","journey_id":"6b16362c6b0254e6e215ea13","user_id":"baf317c7ea3a4fda1a22b67e","payload":{"click_id":"6b16362c6b0254e6e215ea13","link_id":"6006dda272f002519c3eb505","country_code":"EE","profile_country_code":"EE","enabled":true,"banner_id":null,"utm_source":"youtube.com","utm_medium":null,"utm_campaign":"sport","referrer_host":"twitter.com","browser":"Apple Mail","os":"Mac OS X","device":"Mac","verdict":"ok"},"created_at":"2026-12-07T04:29:32.702000+00:00"}','pending',0,'2026-12-07 04:29:32.702000',NULL,'2026-12-07 04:29:32.702000',NULL,1);
INSERT INTO "outbox" VALUES(19,'demo','partners.postback','GET','http://127.0.0.1:9000/postback?click=6b16362c6b0254e6e215ea13&profile=baf317c7ea3a4fda1a22b67e&source=youtube.com','{}',NULL,'pending',0,'2026-12-07 04:29:32.745256',NULL,'2026-12-07 04:29:32.745256',NULL,NULL);
INSERT INTO "outbox" VALUES(20,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"click.created","X-Clicktrail-Delivery":"msg_01a24ec3-9efb-7ac7-9773-5d08a6dd3166"}','{"id":"msg_01a24ec3-9efb-7ac7-9773-5d08a6dd3166","app_id":"demo","family":"partners","type":"click.created","journey_id":"6b16362c6b0254e6e215ea14","user_id":null,"payload":{"click_id":"6b16362c6b0254e6e215ea14","link_id":"6006dda272f002519c3eb505","banner_id":null,"country_code":"GB","verdict":"ok","reason":null,"unique":true,"bot":false,"browser":"Apple Mail","os":"Mac OS X","device":"Mac","utm_source":"youtube.com","utm_medium":null,"utm_campaign":"sport","referrer_host":"twitter.com"},"created_at":"2026-12-07T04:29:32.794000+00:00"}','pending',0,'2026-12-07 04:29:32.794000',NULL,'2026-12-07 04:29:32.794000',NULL,1);
INSERT INTO "outbox" VALUES(21,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"click.registered","X-Clicktrail-Delivery":"msg_01a24ec3-9f0e-7b3e-baa7-26be97fbc278"}','{"id":"msg_01a24ec3-9f0e-7b3e-baa7-26be97fbc278","app_id":"demo","family":"partners","type":"click.registered","journey_id":"6b16362c6b0254e6e215ea14","user_id":"4017c26586ac0791ae1836cb","payload":{"click_id":"6b16362c6b0254e6e215ea14","link_id":"6006dda272f002519c3eb505","country_code":"GB","profile_country_code":"EE","enabled":true,"banner_id":null,"utm_source":"youtube.com","utm_medium":null,"utm_campaign":"sport","referrer_host":"twitter.com","browser":"Apple Mail","os":"Mac OS X","device":"Mac","verdict":"ok"},"created_at":"2026-12-07T04:29:32.802000+00:00"}','pending',0,'2026-12-07 04:29:32.802000',NULL,'2026-12-07 04:29:32.802000',NULL,1);
INSERT INTO "outbox" VALUES(22,'demo','partners.postback','GET','http://127.0.0.1:9000/postback?click=6b16362c6b0254e6e215ea14&profile=4017c26586ac0791ae1836cb&source=youtube.com','{}',NULL,'pending',0,'2026-12-07 04:29:32.814962',NULL,'2026-12-07 04:29:32.814962',NULL,NULL);
INSERT INTO "outbox" VALUES(23,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"member.enrolled","X-Clicktrail-Delivery":"msg_01a24ec3-9f40-7107-8c4d-d50b386cb820"}','{"id":"msg_01a24ec3-9f40-7107-8c4d-d50b386cb820","app_id":"demo","family":"loyalty","type":"member.enrolled","journey_id":"till-1","user_id":"5805400172139329","payload":{"accountId":"ef94b1b3-edaf-4ced-9f21-5e0594d19679","identifierType":"EMAIL"},"created_at":"2026-12-07T04:29:32.863621+00:00"}','pending',0,'2026-12-07 04:29:32.863621',NULL,'2026-12-07 04:29:32.863621',NULL,1);
INSERT INTO "outbox" VALUES(24,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"session.started","X-Clicktrail-Delivery":"msg_01a24ec3-9f40-7055-bc7e-ee2b8ebbbaab"}','{"id":"msg_01a24ec3-9f40-7055-bc7e-ee2b8ebbbaab","app_id":"demo","family":"loyalty","type":"session.started","journey_id":"till-1","user_id":"5805400172139329","payload":{"anonymous":false,"channel":"STORE","identifierType":"EMAIL","enrolled":true},"created_at":"2026-12-07T04:29:32.864229+00:00"}','pending',0,'2026-12-07 04:29:32.864229',NULL,'2026-12-07 04:29:32.864229',NULL,1);
INSERT INTO "outbox" VALUES(25,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"trial.recorded","X-Clicktrail-Delivery":"msg_01a24ec3-9f49-79c0-9257-d4aa664becd2"}','{"id":"msg_01a24ec3-9f49-79c0-9257-d4aa664becd2","app_id":"demo","family":"loyalty","type":"trial.recorded","journey_id":"till-1","user_id":"5805400172139329","payload":{"callId":"till-1-t1","amount":"46.50","currency":"USD","estimatedPoints":465,"prompts":1,"channel":"STORE"},"created_at":"2026-12-07T04:29:32.872071+00:00"}','pending',0,'2026-12-07 04:29:32.872071',NULL,'2026-12-07 04:29:32.872071',NULL,1);
INSERT INTO "outbox" VALUES(26,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"prompt.shown","X-Clicktrail-Delivery":"msg_01a24ec3-9f49-7596-aa30-eda717eb656c"}','{"id":"msg_01a24ec3-9f49-7596-aa30-eda717eb656c","app_id":"demo","family":"loyalty","type":"prompt.shown","journey_id":"till-1","user_id":"5805400172139329","payload":{"promptMessageId":"01a24ec3-9f46-78e6-8baf-7885486c119a","offerId":"spend50","gap":"3.50","channel":"STORE"},"created_at":"2026-12-07T04:29:32.872071+00:00"}','pending',0,'2026-12-07 04:29:32.872071',NULL,'2026-12-07 04:29:32.872071',NULL,1);
INSERT INTO "outbox" VALUES(27,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"prompt.answered","X-Clicktrail-Delivery":"msg_01a24ec3-9f51-758b-be4e-d31b8b01ed38"}','{"id":"msg_01a24ec3-9f51-758b-be4e-d31b8b01ed38","app_id":"demo","family":"loyalty","type":"prompt.answered","journey_id":"till-1","user_id":"5805400172139329","payload":{"promptMessageId":"01a24ec3-9f46-78e6-8baf-7885486c119a","offerId":"spend50","response":"accepted","previous":null,"gap":"3.50","channel":"STORE"},"created_at":"2026-12-07T04:29:32.881137+00:00"}','pending',0,'2026-12-07 04:29:32.881137',NULL,'2026-12-07 04:29:32.881137',NULL,1);
INSERT INTO "outbox" VALUES(28,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"transaction.finalized","X-Clicktrail-Delivery":"msg_01a24ec3-9f6a-7ef2-87e6-38b22dce099a"}','{"id":"msg_01a24ec3-9f6a-7ef2-87e6-38b22dce099a","app_id":"demo","family":"loyalty","type":"transaction.finalized","journey_id":"till-1","user_id":"5805400172139329","payload":{"transactionId":"7d4d1e15-e659-4373-a910-096aaba31512","callId":"till-1-f1","amount":"50.00","currency":"USD","basePoints":500,"bonusPoints":500,"offers":["spend50"],"anonymous":false,"confirmationMode":null,"channel":"STORE"},"created_at":"2026-12-07T04:29:32.906061+00:00"}','pending',0,'2026-12-07 04:29:32.906061',NULL,'2026-12-07 04:29:32.906061',NULL,1);
INSERT INTO "outbox" VALUES(29,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"member.enrolled","X-Clicktrail-Delivery":"msg_01a24ec3-9f93-7c63-8a77-08eca2859a99"}','{"id":"msg_01a24ec3-9f93-7c63-8a77-08eca2859a99","app_id":"demo","family":"loyalty","type":"member.enrolled","journey_id":"till-2","user_id":"8577222152105892","payload":{"accountId":"fdb1fa0b-d904-4170-b8d4-1a7f4e9f0fba","identifierType":"EMAIL"},"created_at":"2026-12-07T04:29:32.947019+00:00"}','pending',0,'2026-12-07 04:29:32.947019',NULL,'2026-12-07 04:29:32.947019',NULL,1);
INSERT INTO "outbox" VALUES(30,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"session.started","X-Clicktrail-Delivery":"msg_01a24ec3-9f94-79fa-89f9-878108064d5e"}','{"id":"msg_01a24ec3-9f94-79fa-89f9-878108064d5e","app_id":"demo","family":"loyalty","type":"session.started","journey_id":"till-2","user_id":"8577222152105892","payload":{"anonymous":false,"channel":"STORE","identifierType":"EMAIL","enrolled":true},"created_at":"2026-12-07T04:29:32.947677+00:00"}','pending',0,'2026-12-07 04:29:32.947677',NULL,'2026-12-07 04:29:32.947677',NULL,1);
INSERT INTO "outbox" VALUES(31,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"trial.recorded","X-Clicktrail-Delivery":"msg_01a24ec3-9f9d-747e-8602-8641b3a6084d"}','{"id":"msg_01a24ec3-9f9d-747e-8602-8641b3a6084d","app_id":"demo","family":"loyalty","type":"trial.recorded","journey_id":"till-2","user_id":"8577222152105892","payload":{"callId":"till-2-t1","amount":"46.50","currency":"USD","estimatedPoints":465,"prompts":1,"channel":"STORE"},"created_at":"2026-12-07T04:29:32.957201+00:00"}','pending',0,'2026-12-07 04:29:32.957201',NULL,'2026-12-07 04:29:32.957201',NULL,1);
INSERT INTO "outbox" VALUES(32,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"prompt.shown","X-Clicktrail-Delivery":"msg_01a24ec3-9f9d-71ca-a614-e2159ac75828"}','{"id":"msg_01a24ec3-9f9d-71ca-a614-e2159ac75828","app_id":"demo","family":"loyalty","type":"prompt.shown","journey_id":"till-2","user_id":"8577222152105892","payload":{"promptMessageId":"01a24ec3-9f9c-71b0-a204-9dbaf4753fd6","offerId":"spend50","gap":"3.50","channel":"STORE"},"created_at":"2026-12-07T04:29:32.957201+00:00"}','pending',0,'2026-12-07 04:29:32.957201',NULL,'2026-12-07 04:29:32.957201',NULL,1);
INSERT INTO "outbox" VALUES(33,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"prompt.answered","X-Clicktrail-Delivery":"msg_01a24ec3-9fb5-7632-a692-34b152af076d"}','{"id":"msg_01a24ec3-9fb5-7632-a692-34b152af076d","app_id":"demo","family":"loyalty","type":"prompt.answered","journey_id":"till-2","user_id":"8577222152105892","payload":{"promptMessageId":"01a24ec3-9f9c-71b0-a204-9dbaf4753fd6","offerId":"spend50","response":"accepted","previous":null,"gap":"3.50","channel":"STORE"},"created_at":"2026-12-07T04:29:32.981266+00:00"}','pending',0,'2026-12-07 04:29:32.981266',NULL,'2026-12-07 04:29:32.981266',NULL,1);
INSERT INTO "outbox" VALUES(34,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"transaction.finalized","X-Clicktrail-Delivery":"msg_01a24ec3-9fcf-78e8-8a1a-cfe4258e7d8a"}','{"id":"msg_01a24ec3-9fcf-78e8-8a1a-cfe4258e7d8a","app_id":"demo","family":"loyalty","type":"transaction.finalized","journey_id":"till-2","user_id":"8577222152105892","payload":{"transactionId":"1ff5ad9c-5c8a-4dc0-a552-0f2fc3154ee4","callId":"till-2-f1","amount":"50.00","currency":"USD","basePoints":500,"bonusPoints":500,"offers":["spend50"],"anonymous":false,"confirmationMode":null,"channel":"STORE"},"created_at":"2026-12-07T04:29:33.007122+00:00"}','pending',0,'2026-12-07 04:29:33.007122',NULL,'2026-12-07 04:29:33.007122',NULL,1);
INSERT INTO "outbox" VALUES(35,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"scan.recorded","X-Clicktrail-Delivery":"msg_01a24ec3-9fda-7966-9fd6-ccbd71122582"}','{"id":"msg_01a24ec3-9fda-7966-9fd6-ccbd71122582","app_id":"demo","family":"signage","type":"scan.recorded","journey_id":"01a24ec3-9fd8-793c-a3b5-5270d4e9408f","user_id":null,"payload":{"campaign_id":"spring-form","ip":"127.0.0.1","country":null,"browser":"Mobile Safari UI/WKWebView","os":"iOS","device":"iPhone","is_bot":false,"is_link_preview":false},"created_at":"2026-12-07T04:29:33.016843+00:00"}','pending',0,'2026-12-07 04:29:33.016843',NULL,'2026-12-07 04:29:33.016843',NULL,1);
INSERT INTO "outbox" VALUES(36,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"status.changed","X-Clicktrail-Delivery":"msg_01a24ec3-9ff1-71a9-9838-cf2235a0f319"}','{"id":"msg_01a24ec3-9ff1-71a9-9838-cf2235a0f319","app_id":"demo","family":"signage","type":"status.changed","journey_id":"01a24ec3-9fd8-793c-a3b5-5270d4e9408f","user_id":null,"payload":{"campaign_id":"spring-form","from":null,"to":"FORM_SUBMITTED","skipped":[]},"created_at":"2026-12-07T04:29:33.027382+00:00"}','pending',0,'2026-12-07 04:29:33.027382',NULL,'2026-12-07 04:29:33.027382',NULL,1);
INSERT INTO "outbox" VALUES(37,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"status.changed","X-Clicktrail-Delivery":"msg_01a24ec3-a000-791c-9ac1-5851e5088c3a"}','{"id":"msg_01a24ec3-a000-791c-9ac1-5851e5088c3a","app_id":"demo","family":"signage","type":"status.changed","journey_id":"01a24ec3-9fd8-793c-a3b5-5270d4e9408f","user_id":null,"payload":{"campaign_id":"spring-form","from":"FORM_SUBMITTED","to":"FORM_APPROVED","skipped":["FORM_REVIEWING"]},"created_at":"2026-12-07T04:29:33.055449+00:00"}','pending',0,'2026-12-07 04:29:33.055449',NULL,'2026-12-07 04:29:33.055449',NULL,1);
INSERT INTO "outbox" VALUES(38,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"coupon.issued","X-Clicktrail-Delivery":"msg_01a24ec3-a017-7ec8-a130-ab980a4e4813"}','{"id":"msg_01a24ec3-a017-7ec8-a130-ab980a4e4813","app_id":"demo","family":"signage","type":"coupon.issued","journey_id":"01a24ec3-9fd8-793c-a3b5-5270d4e9408f","user_id":null,"payload":{"campaign_id":"spring-form","coupon_code":"SPRING-0001","status":"FORM_APPROVED"},"created_at":"2026-12-07T04:29:33.070983+00:00"}','pending',0,'2026-12-07 04:29:33.070983',NULL,'2026-12-07 04:29:33.070983',NULL,1);
INSERT INTO "outbox" VALUES(39,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"scan.recorded","X-Clicktrail-Delivery":"msg_01a24ec3-a03c-7085-a8ef-65e3f95030f4"}','{"id":"msg_01a24ec3-a03c-7085-a8ef-65e3f95030f4","app_id":"demo","family":"signage","type":"scan.recorded","journey_id":"01a24ec3-a03b-7284-9c5f-141b88c1d357","user_id":null,"payload":{"campaign_id":"spring-form","ip":"127.0.0.1","country":null,"browser":"Mobile Safari UI/WKWebView","os":"iOS","device":"iPhone","is_bot":false,"is_link_preview":false},"created_at":"2026-12-07T04:29:33.115689+00:00"}','pending',0,'2026-12-07 04:29:33.115689',NULL,'2026-12-07 04:29:33.115689',NULL,1);
INSERT INTO "outbox" VALUES(40,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"status.changed","X-Clicktrail-Delivery":"msg_01a24ec3-a045-7ce1-a20f-fd0af3fb3ad4"}','{"id":"msg_01a24ec3-a045-7ce1-a20f-fd0af3fb3ad4","app_id":"demo","family":"signage","type":"status.changed","journey_id":"01a24ec3-a03b-7284-9c5f-141b88c1d357","user_id":null,"payload":{"campaign_id":"spring-form","from":null,"to":"FORM_SUBMITTED","skipped":[]},"created_at":"2026-12-07T04:29:33.124826+00:00"}','pending',0,'2026-12-07 04:29:33.124826',NULL,'2026-12-07 04:29:33.124826',NULL,1);
INSERT INTO "outbox" VALUES(41,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"status.changed","X-Clicktrail-Delivery":"msg_01a24ec3-a05a-7769-ae1a-ff372dc35ea1"}','{"id":"msg_01a24ec3-a05a-7769-ae1a-ff372dc35ea1","app_id":"demo","family":"signage","type":"status.changed","journey_id":"01a24ec3-a03b-7284-9c5f-141b88c1d357","user_id":null,"payload":{"campaign_id":"spring-form","from":"FORM_SUBMITTED","to":"FORM_APPROVED","skipped":["FORM_REVIEWING"]},"created_at":"2026-12-07T04:29:33.145425+00:00"}','pending',0,'2026-12-07 04:29:33.145425',NULL,'2026-12-07 04:29:33.145425',NULL,1);
INSERT INTO "outbox" VALUES(42,'demo','webhook','POST','http://127.0.0.1:9000/hook','{"X-Clicktrail-Event":"coupon.issued","X-Clicktrail-Delivery":"msg_01a24ec3-a085-7fcd-857b-9a3f73e759d9"}','{"id":"msg_01a24ec3-a085-7fcd-857b-9a3f73e759d9","app_id":"demo","family":"signage","type":"coupon.issued","journey_id":"01a24ec3-a03b-7284-9c5f-141b88c1d357","user_id":null,"payload":{"campaign_id":"spring-form","coupon_code":"SPRING-0002","status":"FORM_APPROVED"},"created_at":"2026-12-07T04:29:33.179872+00:00"}','pending',0,'2026-12-07 04:29:33.179872',NULL,'2026-12-07 04:29:33.179872',NULL,1);
CREATE TABLE partner_banners (
	app_id VARCHAR(64) NOT NULL, 
	id VARCHAR(64) NOT NULL, 
	link_id VARCHAR(64) NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	cdn_file_url VARCHAR(2048), 
	PRIMARY KEY (app_id, id), 
	FOREIGN KEY(app_id) REFERENCES apps (id) ON DELETE CASCADE
);
INSERT INTO "partner_banners" VALUES('demo','6006dda272f002519c3eb506','6006dda272f002519c3eb505','Tight Spreads','https://cdn.example/b.png');
CREATE TABLE partner_clicks (
	id VARCHAR(24) NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	time DATETIME NOT NULL, 
	referrer VARCHAR(2048), 
	ip VARCHAR(45), 
	uri VARCHAR(2048) NOT NULL, 
	user_agent VARCHAR(2048), 
	ua_hash VARCHAR(32), 
	locale VARCHAR(64), 
	uuid VARCHAR(255), 
	utm_campaign VARCHAR(255), 
	utm_content VARCHAR(255), 
	utm_medium VARCHAR(255), 
	utm_source VARCHAR(255), 
	utm_term VARCHAR(255), 
	profile_id VARCHAR(24), 
	link_id VARCHAR(64), 
	banner_id VARCHAR(64), 
	banner_name VARCHAR(255), 
	banner_cdn_file_url VARCHAR(2048), 
	latitude FLOAT, 
	longitude FLOAT, 
	city VARCHAR(255), 
	country_code VARCHAR(2), 
	country_name VARCHAR(255), 
	browser VARCHAR(128), 
	browser_version VARCHAR(64), 
	os VARCHAR(128), 
	os_version VARCHAR(64), 
	device VARCHAR(128), 
	is_bot BOOLEAN NOT NULL, 
	is_unique BOOLEAN NOT NULL, 
	verdict VARCHAR(16) NOT NULL, 
	verdict_reason VARCHAR(32), 
	registered_time DATETIME, 
	create_time DATETIME NOT NULL, 
	update_time DATETIME NOT NULL, 
	deleted_time DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_partner_clicks_app_id_uuid UNIQUE (app_id, uuid)
);
INSERT INTO "partner_clicks" VALUES('6b16362c6b0254e6e215ea13','demo','2026-11-01 00:00:00.000000','https://twitter.com','185.155.96.184','https://my.stage.org/register?referral=1&utm_source=youtube.com&utm_campaign=sport','Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15','e6203b8fe5176b4c0699b832589305af','en',NULL,'sport',NULL,NULL,'youtube.com',NULL,'baf317c7ea3a4fda1a22b67e','6006dda272f002519c3eb505',NULL,NULL,NULL,59.0,26.0,NULL,'EE','Estonia','Apple Mail','605.1.15','Mac OS X','10.15.7','Mac',0,1,'ok',NULL,'2026-12-07 04:29:32.702000','2026-12-07 04:29:32.685000','2026-12-07 04:29:32.702000',NULL);
INSERT INTO "partner_clicks" VALUES('6b16362c6b0254e6e215ea14','demo','2026-11-01 00:00:00.000000','https://twitter.com','81.2.69.160','https://my.stage.org/register?referral=1&utm_source=youtube.com&utm_campaign=sport','Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15','e6203b8fe5176b4c0699b832589305af','en',NULL,'sport',NULL,NULL,'youtube.com',NULL,'4017c26586ac0791ae1836cb','6006dda272f002519c3eb505',NULL,NULL,NULL,54.0,-2.0,NULL,'GB','United Kingdom','Apple Mail','605.1.15','Mac OS X','10.15.7','Mac',0,1,'ok',NULL,'2026-12-07 04:29:32.802000','2026-12-07 04:29:32.794000','2026-12-07 04:29:32.802000',NULL);
CREATE TABLE partner_contacts (
	id INTEGER NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	profile_id VARCHAR(24) NOT NULL, 
	position INTEGER NOT NULL, 
	"key" VARCHAR(16) NOT NULL, 
	value VARCHAR(255) NOT NULL, 
	value_lc VARCHAR(255) NOT NULL, 
	uuid VARCHAR(255), 
	PRIMARY KEY (id), 
	FOREIGN KEY(profile_id) REFERENCES partner_profiles (id) ON DELETE CASCADE
);
INSERT INTO "partner_contacts" VALUES(1,'demo','baf317c7ea3a4fda1a22b67e',0,'email','185.155.96.184@example.com','185.155.96.184@example.com',NULL);
INSERT INTO "partner_contacts" VALUES(2,'demo','baf317c7ea3a4fda1a22b67e',1,'phone','+37255555555','+37255555555',NULL);
INSERT INTO "partner_contacts" VALUES(3,'demo','4017c26586ac0791ae1836cb',0,'email','81.2.69.160@example.com','81.2.69.160@example.com',NULL);
INSERT INTO "partner_contacts" VALUES(4,'demo','4017c26586ac0791ae1836cb',1,'phone','+37255555555','+37255555555',NULL);
CREATE TABLE partner_links (
	app_id VARCHAR(64) NOT NULL, 
	id VARCHAR(64) NOT NULL, 
	uri VARCHAR(2048) NOT NULL, 
	name VARCHAR(255), 
	match_key VARCHAR(2400) NOT NULL, 
	postback_url VARCHAR(2048), 
	create_time DATETIME NOT NULL, 
	update_time DATETIME NOT NULL, 
	PRIMARY KEY (app_id, id), 
	FOREIGN KEY(app_id) REFERENCES apps (id) ON DELETE CASCADE
);
INSERT INTO "partner_links" VALUES('demo','6006dda272f002519c3eb505','https://my.stage.org/register?referral=1','Sign-up page','my.stage.org/register?referral=1','http://127.0.0.1:9000/postback?click={click_id}&profile={profile_id}&source={utm_source}','2026-12-07 04:29:32.219969','2026-12-07 04:29:32.219969');
CREATE TABLE partner_profiles (
	id VARCHAR(24) NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	first_name VARCHAR(255), 
	last_name VARCHAR(255), 
	middle_name VARCHAR(255), 
	full_name_lc VARCHAR(800) NOT NULL, 
	enabled BOOLEAN NOT NULL, 
	uuid VARCHAR(255), 
	tag VARCHAR(255), 
	country_code VARCHAR(2), 
	country_name VARCHAR(255), 
	create_time DATETIME NOT NULL, 
	update_time DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_partner_profiles_app_id_uuid UNIQUE (app_id, uuid)
);
INSERT INTO "partner_profiles" VALUES('baf317c7ea3a4fda1a22b67e','demo','Mary','Smith',NULL,'mary smith',1,NULL,NULL,'EE','Estonia','2026-12-07 04:29:32.702000','2026-12-07 04:29:32.702000');
INSERT INTO "partner_profiles" VALUES('4017c26586ac0791ae1836cb','demo','Mary','Smith',NULL,'mary smith',1,NULL,NULL,'EE','Estonia','2026-12-07 04:29:32.802000','2026-12-07 04:29:32.802000');
CREATE TABLE partner_settings (
	app_id VARCHAR(64) NOT NULL, 
	duplicate_window_seconds INTEGER NOT NULL, 
	blocked_networks JSON NOT NULL, 
	blocked_countries JSON NOT NULL, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (app_id), 
	FOREIGN KEY(app_id) REFERENCES apps (id) ON DELETE CASCADE
);
INSERT INTO "partner_settings" VALUES('demo',1800,'["198.51.100.0/24"]','[]',43460083);
CREATE TABLE rollup_counts (
	app_id VARCHAR(64) NOT NULL, 
	family VARCHAR(16) NOT NULL, 
	dimension VARCHAR(32) NOT NULL, 
	measure VARCHAR(80) NOT NULL, 
	bucket DATETIME NOT NULL, 
	dim_value VARCHAR(255) NOT NULL, 
	count BIGINT NOT NULL, 
	CONSTRAINT pk_rollup_counts PRIMARY KEY (app_id, family, dimension, measure, bucket, dim_value)
)
 WITHOUT ROWID

;
INSERT INTO "rollup_counts" VALUES('demo','loyalty','','accepted','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','loyalty','','bonus_points','2026-12-07 04:00:00.000000','',1000);
INSERT INTO "rollup_counts" VALUES('demo','loyalty','','prompts_shown','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','loyalty','','sessions','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','loyalty','','trials','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','loyalty','channel','accepted','2026-12-07 04:00:00.000000','STORE',2);
INSERT INTO "rollup_counts" VALUES('demo','loyalty','channel','bonus_points','2026-12-07 04:00:00.000000','STORE',1000);
INSERT INTO "rollup_counts" VALUES('demo','loyalty','channel','prompts_shown','2026-12-07 04:00:00.000000','STORE',2);
INSERT INTO "rollup_counts" VALUES('demo','loyalty','channel','sessions','2026-12-07 04:00:00.000000','STORE',2);
INSERT INTO "rollup_counts" VALUES('demo','loyalty','channel','trials','2026-12-07 04:00:00.000000','STORE',2);
INSERT INTO "rollup_counts" VALUES('demo','loyalty','offer','accepted','2026-12-07 04:00:00.000000','spend50',2);
INSERT INTO "rollup_counts" VALUES('demo','loyalty','offer','prompts_shown','2026-12-07 04:00:00.000000','spend50',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','','clicks','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','','registrations','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','','unique_clicks','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','banner','clicks','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','banner','registrations','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','banner','unique_clicks','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','browser','clicks','2026-12-07 04:00:00.000000','Apple Mail',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','browser','registrations','2026-12-07 04:00:00.000000','Apple Mail',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','browser','unique_clicks','2026-12-07 04:00:00.000000','Apple Mail',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','country','clicks','2026-12-07 04:00:00.000000','EE',1);
INSERT INTO "rollup_counts" VALUES('demo','partners','country','clicks','2026-12-07 04:00:00.000000','GB',1);
INSERT INTO "rollup_counts" VALUES('demo','partners','country','registrations','2026-12-07 04:00:00.000000','EE',1);
INSERT INTO "rollup_counts" VALUES('demo','partners','country','registrations','2026-12-07 04:00:00.000000','GB',1);
INSERT INTO "rollup_counts" VALUES('demo','partners','country','unique_clicks','2026-12-07 04:00:00.000000','EE',1);
INSERT INTO "rollup_counts" VALUES('demo','partners','country','unique_clicks','2026-12-07 04:00:00.000000','GB',1);
INSERT INTO "rollup_counts" VALUES('demo','partners','device','clicks','2026-12-07 04:00:00.000000','Mac',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','device','registrations','2026-12-07 04:00:00.000000','Mac',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','device','unique_clicks','2026-12-07 04:00:00.000000','Mac',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','link','clicks','2026-12-07 04:00:00.000000','6006dda272f002519c3eb505',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','link','registrations','2026-12-07 04:00:00.000000','6006dda272f002519c3eb505',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','link','unique_clicks','2026-12-07 04:00:00.000000','6006dda272f002519c3eb505',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','os','clicks','2026-12-07 04:00:00.000000','Mac OS X',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','os','registrations','2026-12-07 04:00:00.000000','Mac OS X',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','os','unique_clicks','2026-12-07 04:00:00.000000','Mac OS X',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','referrer_host','clicks','2026-12-07 04:00:00.000000','twitter.com',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','referrer_host','registrations','2026-12-07 04:00:00.000000','twitter.com',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','referrer_host','unique_clicks','2026-12-07 04:00:00.000000','twitter.com',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','utm_campaign','clicks','2026-12-07 04:00:00.000000','sport',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','utm_campaign','registrations','2026-12-07 04:00:00.000000','sport',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','utm_campaign','unique_clicks','2026-12-07 04:00:00.000000','sport',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','utm_medium','clicks','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','utm_medium','registrations','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','utm_medium','unique_clicks','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','utm_source','clicks','2026-12-07 04:00:00.000000','youtube.com',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','utm_source','registrations','2026-12-07 04:00:00.000000','youtube.com',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','utm_source','unique_clicks','2026-12-07 04:00:00.000000','youtube.com',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','verdict','clicks','2026-12-07 04:00:00.000000','ok',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','verdict','registrations','2026-12-07 04:00:00.000000','ok',2);
INSERT INTO "rollup_counts" VALUES('demo','partners','verdict','unique_clicks','2026-12-07 04:00:00.000000','ok',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','','coupons_issued','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','','scans','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','','sessions','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','','status:FORM_APPROVED','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','','status:FORM_REVIEWING','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','','status:FORM_SUBMITTED','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','campaign','coupons_issued','2026-12-07 04:00:00.000000','spring-form',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','campaign','scans','2026-12-07 04:00:00.000000','spring-form',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','campaign','sessions','2026-12-07 04:00:00.000000','spring-form',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','campaign','status:FORM_APPROVED','2026-12-07 04:00:00.000000','spring-form',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','campaign','status:FORM_REVIEWING','2026-12-07 04:00:00.000000','spring-form',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','campaign','status:FORM_SUBMITTED','2026-12-07 04:00:00.000000','spring-form',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','country','scans','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','signage','country','sessions','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','','answered','2026-12-07 04:00:00.000000','',6);
INSERT INTO "rollup_counts" VALUES('demo','surveys','','clicks','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','','completed','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','','qualified','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','','skipped','2026-12-07 04:00:00.000000','',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','country','clicks','2026-12-07 04:00:00.000000','US',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','country','completed','2026-12-07 04:00:00.000000','US',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','country','qualified','2026-12-07 04:00:00.000000','US',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','question','answered','2026-12-07 04:00:00.000000','q-birthdate',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','question','answered','2026-12-07 04:00:00.000000','q-cars',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','question','answered','2026-12-07 04:00:00.000000','q-color',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','question','skipped','2026-12-07 04:00:00.000000','q-zip',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','survey','answered','2026-12-07 04:00:00.000000','srv-auto',6);
INSERT INTO "rollup_counts" VALUES('demo','surveys','survey','clicks','2026-12-07 04:00:00.000000','srv-auto',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','survey','completed','2026-12-07 04:00:00.000000','srv-auto',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','survey','qualified','2026-12-07 04:00:00.000000','srv-auto',2);
INSERT INTO "rollup_counts" VALUES('demo','surveys','survey','skipped','2026-12-07 04:00:00.000000','srv-auto',2);
CREATE TABLE signage_campaigns (
	app_id VARCHAR(64) NOT NULL, 
	id VARCHAR(64) NOT NULL, 
	form_url VARCHAR(2048) NOT NULL, 
	statuses JSON NOT NULL, 
	coupon_after VARCHAR(64) NOT NULL, 
	session_ttl_seconds INTEGER, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_signage_campaigns PRIMARY KEY (app_id, id), 
	FOREIGN KEY(app_id) REFERENCES apps (id) ON DELETE CASCADE
);
INSERT INTO "signage_campaigns" VALUES('demo','spring-form','https://brand.example/form','["FORM_SUBMITTED","FORM_REVIEWING","FORM_APPROVED"]','FORM_APPROVED',NULL,'2026-12-07 04:29:32.281161','2026-12-07 04:29:32.281168');
INSERT INTO "signage_campaigns" VALUES('demo','summer-quiz','https://brand.example/quiz?lang=en','["QUIZ_STARTED","QUIZ_FINISHED"]','QUIZ_FINISHED',86400,'2026-12-07 04:29:32.282182','2026-12-07 04:29:32.282186');
CREATE TABLE signage_coupons (
	id INTEGER NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	campaign_id VARCHAR(64) NOT NULL, 
	code VARCHAR(64) NOT NULL, 
	source VARCHAR(16) NOT NULL, 
	session_id VARCHAR(36), 
	issued_at DATETIME, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_signage_coupons_app_id_code UNIQUE (app_id, code), 
	CONSTRAINT uq_signage_coupons_session_id UNIQUE (session_id), 
	CONSTRAINT fk_signage_coupons_app_id_signage_campaigns FOREIGN KEY(app_id, campaign_id) REFERENCES signage_campaigns (app_id, id) ON DELETE CASCADE, 
	FOREIGN KEY(session_id) REFERENCES signage_sessions (id) ON DELETE CASCADE
);
INSERT INTO "signage_coupons" VALUES(1,'demo','spring-form','SPRING-0001','listed','01a24ec3-9fd8-793c-a3b5-5270d4e9408f','2026-12-07 04:29:33.070983','2026-12-07 04:29:32.287429');
INSERT INTO "signage_coupons" VALUES(2,'demo','spring-form','SPRING-0002','listed','01a24ec3-a03b-7284-9c5f-141b88c1d357','2026-12-07 04:29:33.179872','2026-12-07 04:29:32.287429');
INSERT INTO "signage_coupons" VALUES(3,'demo','spring-form','SPRING-0003','listed',NULL,NULL,'2026-12-07 04:29:32.287429');
INSERT INTO "signage_coupons" VALUES(4,'demo','summer-quiz','SUMMER-3H8SZAP2','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(5,'demo','summer-quiz','SUMMER-2KJBQH67','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(6,'demo','summer-quiz','SUMMER-UT7E88Z4','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(7,'demo','summer-quiz','SUMMER-NUE8NS63','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(8,'demo','summer-quiz','SUMMER-PUR38DV4','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(9,'demo','summer-quiz','SUMMER-WPRPUBHG','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(10,'demo','summer-quiz','SUMMER-ABACZPR8','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(11,'demo','summer-quiz','SUMMER-YMWFS2CH','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(12,'demo','summer-quiz','SUMMER-TH684XJN','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(13,'demo','summer-quiz','SUMMER-J8K4QWAH','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(14,'demo','summer-quiz','SUMMER-BV6VKD5S','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(15,'demo','summer-quiz','SUMMER-PMWGGFM3','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(16,'demo','summer-quiz','SUMMER-MHTRGFU3','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(17,'demo','summer-quiz','SUMMER-VUFWQNCK','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(18,'demo','summer-quiz','SUMMER-88RPW274','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(19,'demo','summer-quiz','SUMMER-9F464E74','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(20,'demo','summer-quiz','SUMMER-T64H6ES5','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(21,'demo','summer-quiz','SUMMER-8ZGCJEFB','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(22,'demo','summer-quiz','SUMMER-5XD3BGB4','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(23,'demo','summer-quiz','SUMMER-P6RV4ZJT','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(24,'demo','summer-quiz','SUMMER-HU4W7SHS','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(25,'demo','summer-quiz','SUMMER-QMHE5CX6','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(26,'demo','summer-quiz','SUMMER-HJXQFNK8','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(27,'demo','summer-quiz','SUMMER-HHNQHWHV','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(28,'demo','summer-quiz','SUMMER-98T4YHGU','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(29,'demo','summer-quiz','SUMMER-WYVBW795','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(30,'demo','summer-quiz','SUMMER-G9S4QHPW','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(31,'demo','summer-quiz','SUMMER-QJUHKU7Q','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(32,'demo','summer-quiz','SUMMER-G6EUB7FX','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(33,'demo','summer-quiz','SUMMER-SW9DGTQ9','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(34,'demo','summer-quiz','SUMMER-3H6B7FU7','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(35,'demo','summer-quiz','SUMMER-3X6ZG2YV','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(36,'demo','summer-quiz','SUMMER-XE5C6NEN','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(37,'demo','summer-quiz','SUMMER-9FBENDSW','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(38,'demo','summer-quiz','SUMMER-X3BKAP24','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(39,'demo','summer-quiz','SUMMER-63CFDVS9','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(40,'demo','summer-quiz','SUMMER-4J93QF28','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(41,'demo','summer-quiz','SUMMER-C9RMBDX9','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(42,'demo','summer-quiz','SUMMER-FBG6VHJ3','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(43,'demo','summer-quiz','SUMMER-GF438EU7','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(44,'demo','summer-quiz','SUMMER-G5D59URS','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(45,'demo','summer-quiz','SUMMER-2AUKDN55','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(46,'demo','summer-quiz','SUMMER-97TMDG3K','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(47,'demo','summer-quiz','SUMMER-FKVNKGJ2','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(48,'demo','summer-quiz','SUMMER-9VHR2XYF','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(49,'demo','summer-quiz','SUMMER-FPAT35PE','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(50,'demo','summer-quiz','SUMMER-SVASBV8M','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(51,'demo','summer-quiz','SUMMER-K7A8D248','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(52,'demo','summer-quiz','SUMMER-BVWE7D7Z','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(53,'demo','summer-quiz','SUMMER-57REBSZA','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(54,'demo','summer-quiz','SUMMER-E2JMVBH9','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(55,'demo','summer-quiz','SUMMER-N8AGMKCF','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(56,'demo','summer-quiz','SUMMER-GVR4HR88','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(57,'demo','summer-quiz','SUMMER-HGAGXBPA','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(58,'demo','summer-quiz','SUMMER-F3D2Y4HD','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(59,'demo','summer-quiz','SUMMER-4P9FXASJ','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(60,'demo','summer-quiz','SUMMER-KZ6R2A3B','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(61,'demo','summer-quiz','SUMMER-9Y8TVP7Z','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(62,'demo','summer-quiz','SUMMER-TFQ8JRK5','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(63,'demo','summer-quiz','SUMMER-EHXHCHVS','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(64,'demo','summer-quiz','SUMMER-SXC5QR7X','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(65,'demo','summer-quiz','SUMMER-VPHJJ9ZQ','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(66,'demo','summer-quiz','SUMMER-T6VTBTNQ','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(67,'demo','summer-quiz','SUMMER-YE24E93D','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(68,'demo','summer-quiz','SUMMER-FZUXXMUK','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(69,'demo','summer-quiz','SUMMER-J6H9YMQS','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(70,'demo','summer-quiz','SUMMER-H52ZW7K2','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(71,'demo','summer-quiz','SUMMER-GF2T8SV8','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(72,'demo','summer-quiz','SUMMER-UZYR7983','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(73,'demo','summer-quiz','SUMMER-ZXDMKSUH','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(74,'demo','summer-quiz','SUMMER-NCYUNH5P','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(75,'demo','summer-quiz','SUMMER-ZNAUXJ46','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(76,'demo','summer-quiz','SUMMER-5NG6Z8UE','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(77,'demo','summer-quiz','SUMMER-SZXY45RH','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(78,'demo','summer-quiz','SUMMER-T8EF37Y7','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(79,'demo','summer-quiz','SUMMER-93FBHAY6','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(80,'demo','summer-quiz','SUMMER-7DDWRA24','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(81,'demo','summer-quiz','SUMMER-E582UZUQ','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(82,'demo','summer-quiz','SUMMER-YT5WQAMS','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(83,'demo','summer-quiz','SUMMER-QWYMVCW7','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(84,'demo','summer-quiz','SUMMER-YN8WYX5J','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(85,'demo','summer-quiz','SUMMER-D2JGGVAP','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(86,'demo','summer-quiz','SUMMER-MZXZ9M6A','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(87,'demo','summer-quiz','SUMMER-JPDHB9SV','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(88,'demo','summer-quiz','SUMMER-N67GUN7C','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(89,'demo','summer-quiz','SUMMER-WSWSJYC9','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(90,'demo','summer-quiz','SUMMER-XE2US4AV','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(91,'demo','summer-quiz','SUMMER-NWDY8BSP','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(92,'demo','summer-quiz','SUMMER-TDHXCVCZ','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(93,'demo','summer-quiz','SUMMER-6DATTRPA','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(94,'demo','summer-quiz','SUMMER-6GVNF25P','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(95,'demo','summer-quiz','SUMMER-SJ836VDN','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(96,'demo','summer-quiz','SUMMER-JPBREUHF','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(97,'demo','summer-quiz','SUMMER-ZRTZCC6N','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(98,'demo','summer-quiz','SUMMER-J8Z7NJMH','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(99,'demo','summer-quiz','SUMMER-NW2F2D2A','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(100,'demo','summer-quiz','SUMMER-E896DWE7','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(101,'demo','summer-quiz','SUMMER-969XEDAH','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(102,'demo','summer-quiz','SUMMER-92ARVBF6','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
INSERT INTO "signage_coupons" VALUES(103,'demo','summer-quiz','SUMMER-YSYMBV3P','generated',NULL,NULL,'2026-12-07 04:29:32.289637');
CREATE TABLE signage_sessions (
	id VARCHAR(36) NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	campaign_id VARCHAR(64) NOT NULL, 
	source VARCHAR(8) NOT NULL, 
	status VARCHAR(64), 
	status_changed_at DATETIME, 
	coupon_code VARCHAR(64), 
	coupon_issued_at DATETIME, 
	ip VARCHAR(45), 
	country VARCHAR(2), 
	user_agent VARCHAR(512), 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT fk_signage_sessions_app_id_signage_campaigns FOREIGN KEY(app_id, campaign_id) REFERENCES signage_campaigns (app_id, id) ON DELETE CASCADE
);
INSERT INTO "signage_sessions" VALUES('01a24ec3-9fd8-793c-a3b5-5270d4e9408f','demo','spring-form','scan','FORM_APPROVED','2026-12-07 04:29:33.055449','SPRING-0001','2026-12-07 04:29:33.070983','127.0.0.1',NULL,'Mozilla/5.0 (iPhone)','2026-12-07 04:29:33.016843',NULL);
INSERT INTO "signage_sessions" VALUES('01a24ec3-a03b-7284-9c5f-141b88c1d357','demo','spring-form','scan','FORM_APPROVED','2026-12-07 04:29:33.145425','SPRING-0002','2026-12-07 04:29:33.179872','127.0.0.1',NULL,'Mozilla/5.0 (iPhone)','2026-12-07 04:29:33.115689',NULL);
CREATE TABLE survey_answers (
	app_id VARCHAR(64) NOT NULL, 
	user_id VARCHAR(65) NOT NULL, 
	question_id VARCHAR(64) NOT NULL, 
	answers JSON NOT NULL, 
	click_id VARCHAR(36) NOT NULL, 
	answered_at DATETIME NOT NULL, 
	CONSTRAINT pk_survey_answers PRIMARY KEY (app_id, user_id, question_id)
);
INSERT INTO "survey_answers" VALUES('demo','alice','q-birthdate','["1990-04-12"]','04761110-9e5a-4156-8038-073aea703ca4','2026-12-07 04:29:32.475816');
INSERT INTO "survey_answers" VALUES('demo','alice','q-color','["1"]','04761110-9e5a-4156-8038-073aea703ca4','2026-12-07 04:29:32.479578');
INSERT INTO "survey_answers" VALUES('demo','alice','q-zip','[]','04761110-9e5a-4156-8038-073aea703ca4','2026-12-07 04:29:32.482326');
INSERT INTO "survey_answers" VALUES('demo','alice','q-cars','["2"]','04761110-9e5a-4156-8038-073aea703ca4','2026-12-07 04:29:32.487099');
INSERT INTO "survey_answers" VALUES('demo','bob','q-birthdate','["1990-04-12"]','dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9','2026-12-07 04:29:32.577327');
INSERT INTO "survey_answers" VALUES('demo','bob','q-color','["1"]','dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9','2026-12-07 04:29:32.580251');
INSERT INTO "survey_answers" VALUES('demo','bob','q-zip','[]','dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9','2026-12-07 04:29:32.584828');
INSERT INTO "survey_answers" VALUES('demo','bob','q-cars','["2"]','dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9','2026-12-07 04:29:32.629413');
CREATE TABLE survey_clicks (
	id VARCHAR(36) NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	user_id VARCHAR(65) NOT NULL, 
	survey_id VARCHAR(64) NOT NULL, 
	session_id VARCHAR(32) NOT NULL, 
	click_type VARCHAR(16) NOT NULL, 
	question_mode VARCHAR(8) NOT NULL, 
	country VARCHAR(2), 
	languages JSON NOT NULL, 
	"plan" JSON NOT NULL, 
	details JSON NOT NULL, 
	cursor INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	redirect_type VARCHAR(16), 
	redirect_url VARCHAR(4096), 
	end_reason VARCHAR(32), 
	complete_tx VARCHAR(40), 
	reconciled BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "survey_clicks" VALUES('04761110-9e5a-4156-8038-073aea703ca4','demo','alice','srv-auto','8b6209d475f9351d8c7632224b45f98d','survey','first','US','[]','[{"id":"q-birthdate","dup":false,"qualifying":null},{"id":"q-color","dup":false,"qualifying":["1"]},{"id":"q-zip","dup":false,"qualifying":null},{"id":"q-cars","dup":false,"qualifying":{"min":"1","max":"5"}}]','{"id":"srv-auto","cpi":"1.2","value":"120","loi":5.3,"country":"US","language":"en","rating":4,"category":{"name":"Automotive","icon_name":"car","icon_url":"","name_internal":"automotive"}}',4,'completed','survey','https://surveys.example/start?click=04761110-9e5a-4156-8038-073aea703ca4',NULL,'fa02a284b1637faa0be7425343a719e5',0,'2026-12-07 04:29:32.429777','2026-12-07 04:29:32.523579');
INSERT INTO "survey_clicks" VALUES('dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9','demo','bob','srv-auto','b6e7bf26342f6409d522690215ea4468','survey','first','US','[]','[{"id":"q-birthdate","dup":false,"qualifying":null},{"id":"q-color","dup":false,"qualifying":["1"]},{"id":"q-zip","dup":false,"qualifying":null},{"id":"q-cars","dup":false,"qualifying":{"min":"1","max":"5"}}]','{"id":"srv-auto","cpi":"1.2","value":"120","loi":5.3,"country":"US","language":"en","rating":4,"category":{"name":"Automotive","icon_name":"car","icon_url":"","name_internal":"automotive"}}',4,'completed','survey','https://surveys.example/start?click=dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9',NULL,'0ce5ba5c36e7c1a8a1fe6d825666f2f3',0,'2026-12-07 04:29:32.563782','2026-12-07 04:29:32.659622');
CREATE TABLE survey_questions (
	app_id VARCHAR(64) NOT NULL, 
	id VARCHAR(64) NOT NULL, 
	type VARCHAR(8) NOT NULL, 
	texts JSON NOT NULL, 
	answers JSON NOT NULL, 
	can_skip BOOLEAN NOT NULL, 
	example VARCHAR(255), 
	birthdate BOOLEAN NOT NULL, 
	validation JSON NOT NULL, 
	CONSTRAINT pk_survey_questions PRIMARY KEY (app_id, id)
);
INSERT INTO "survey_questions" VALUES('demo','q-color','SINGLE','[["en","What is your favorite color?"],["de","Was ist deine Lieblingsfarbe?"]]','[{"code":"1","text":[["en","Red"],["de","Rot"]]},{"code":"2","text":[["en","Blue"],["de","Blau"]]}]',0,NULL,0,'{"min":1,"max":1,"regex":null}');
INSERT INTO "survey_questions" VALUES('demo','q-zip','TEXT','[["en","Your ZIP code?"]]','[]',1,'10001',0,'{"min":5,"max":5,"regex":"^[0-9]{5}$"}');
INSERT INTO "survey_questions" VALUES('demo','q-birthdate','DATE','[["en","Your date of birth?"],["de","Dein Geburtsdatum?"]]','[]',0,NULL,1,'{"min":18,"max":99,"regex":null}');
INSERT INTO "survey_questions" VALUES('demo','q-cars','NUMBER','[["en","How many cars does your household own?"]]','[]',0,NULL,0,'{"min":"0","max":"20","regex":null}');
INSERT INTO "survey_questions" VALUES('demo','q-brands','MULTI','[["en","Which brands have you bought from?"]]','[{"code":"a","text":[["en","Acme"]]},{"code":"b","text":[["en","Globex"]]},{"code":"c","text":[["en","Initech"]]}]',0,NULL,0,'{"min":1,"max":2,"regex":null}');
CREATE TABLE survey_quotas (
	app_id VARCHAR(64) NOT NULL, 
	survey_id VARCHAR(64) NOT NULL, 
	country VARCHAR(2) NOT NULL, 
	cap_completes INTEGER, 
	cap_open_clicks INTEGER, 
	completes INTEGER NOT NULL, 
	open_clicks INTEGER NOT NULL, 
	CONSTRAINT pk_survey_quotas PRIMARY KEY (app_id, survey_id, country)
);
INSERT INTO "survey_quotas" VALUES('demo','srv-auto','*',100,50,2,0);
INSERT INTO "survey_quotas" VALUES('demo','srv-auto','US',80,NULL,2,0);
INSERT INTO "survey_quotas" VALUES('demo','srv-brands','*',NULL,NULL,0,0);
CREATE TABLE survey_sessions (
	id VARCHAR(32) NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	user_id VARCHAR(65) NOT NULL, 
	country VARCHAR(2), 
	languages JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "survey_sessions" VALUES('8b6209d475f9351d8c7632224b45f98d','demo','alice','US','[]','2026-12-07 04:29:32.350958');
INSERT INTO "survey_sessions" VALUES('b6e7bf26342f6409d522690215ea4468','demo','bob','US','[]','2026-12-07 04:29:32.554586');
CREATE TABLE survey_settings (
	app_id VARCHAR(64) NOT NULL, 
	currency_factor NUMERIC(18, 4) NOT NULL, 
	termination_url VARCHAR(2048) NOT NULL, 
	start_bonus_url VARCHAR(2048), 
	callback_url VARCHAR(2048), 
	callback_secret VARCHAR(255), 
	screenout_reward NUMERIC(16, 4), 
	profile_questions JSON NOT NULL, 
	start_bonus_id VARCHAR(64), app_settings JSON, 
	PRIMARY KEY (app_id)
);
INSERT INTO "survey_settings" VALUES('demo',100,'https://publisher.example/back?status=terminated&uid=[%UID%]','https://publisher.example/back?status=bonus&uid=[%UID%]&val=[%VAL%]','http://127.0.0.1:9000/callback?uid=[%UID%]&val=[%VAL%]&raw=[%RAW%]&tx=[%TX%]&type=[%TYPE%]','demo-callback-secret',NULL,'["q-birthdate"]','start-bonus','{"light":{"navigation_color":"#1a73e8","background_color":"#f5f7fb","interaction_color":"#1a73e8","survey_icon_color":"#1a73e8"},"dark":{"navigation_color":"#202124","background_color":"#121212","interaction_color":"#8ab4f8","survey_icon_color":"#1a73e8"},"currency":{"symbol":"Coins","symbol_is_image":false,"floor_decimal":false}}');
CREATE TABLE survey_skips (
	app_id VARCHAR(64) NOT NULL, 
	user_id VARCHAR(65) NOT NULL, 
	survey_id VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_survey_skips PRIMARY KEY (app_id, user_id, survey_id)
);
CREATE TABLE survey_start_bonuses (
	app_id VARCHAR(64) NOT NULL, 
	user_id VARCHAR(65) NOT NULL, 
	click_id VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_survey_start_bonuses PRIMARY KEY (app_id, user_id)
);
CREATE TABLE survey_surveys (
	app_id VARCHAR(64) NOT NULL, 
	id VARCHAR(64) NOT NULL, 
	type VARCHAR(16) NOT NULL, 
	active BOOLEAN NOT NULL, 
	position INTEGER NOT NULL, 
	cpi NUMERIC(16, 4) NOT NULL, 
	loi FLOAT NOT NULL, 
	country VARCHAR(2), 
	language VARCHAR(2), 
	rating INTEGER NOT NULL, 
	category JSON NOT NULL, 
	entry_url VARCHAR(2048), 
	questions JSON NOT NULL, 
	CONSTRAINT pk_survey_surveys PRIMARY KEY (app_id, id)
);
INSERT INTO "survey_surveys" VALUES('demo','srv-auto','survey',1,0,1.2,5.3,'US','en',4,'{"name":"Automotive","name_internal":"automotive","icon_name":"car","icon_url":""}','https://surveys.example/start?click={click_id}','[{"id":"q-color","qualifying":["1"]},{"id":"q-zip","qualifying":null},{"id":"q-cars","qualifying":{"min":"1","max":"5"}}]');
INSERT INTO "survey_surveys" VALUES('demo','srv-brands','survey',1,1,0.85,12.0,'US','en',3,'{"name":"Shopping","name_internal":"shopping","icon_name":"bag","icon_url":""}','https://surveys.example/start?click={click_id}','[{"id":"q-brands","qualifying":["a","b"]}]');
INSERT INTO "survey_surveys" VALUES('demo','start-bonus','start_bonus',1,-1,0.5,1.0,NULL,NULL,5,'{"name":"Profile","name_internal":"profile","icon_name":"user","icon_url":""}',NULL,'[{"id":"q-zip","qualifying":null},{"id":"q-cars","qualifying":null}]');
CREATE TABLE survey_users (
	app_id VARCHAR(64) NOT NULL, 
	user_id VARCHAR(65) NOT NULL, 
	first_click_id VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_survey_users PRIMARY KEY (app_id, user_id)
);
INSERT INTO "survey_users" VALUES('demo','alice','04761110-9e5a-4156-8038-073aea703ca4','2026-12-07 04:29:32.440139');
INSERT INTO "survey_users" VALUES('demo','bob','dbcfa5da-1a85-4f88-9ebe-b5bd6ca63ec9','2026-12-07 04:29:32.565048');
CREATE TABLE webhooks (
	id INTEGER NOT NULL, 
	app_id VARCHAR(64) NOT NULL, 
	url VARCHAR(2048) NOT NULL, 
	secret VARCHAR(255) NOT NULL, 
	events JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_webhooks_app_id_url UNIQUE (app_id, url), 
	FOREIGN KEY(app_id) REFERENCES apps (id) ON DELETE CASCADE
);
INSERT INTO "webhooks" VALUES(1,'demo','http://127.0.0.1:9000/hook','hook-secret','["*"]','2026-12-07 04:29:32.198819');
CREATE INDEX ix_access_tokens_expires_at ON access_tokens (expires_at);
CREATE INDEX ix_access_tokens_credential_id ON access_tokens (credential_id);
CREATE INDEX ix_journey_events_app_id_id ON journey_events (app_id, id);
CREATE INDEX ix_journey_events_app_journey ON journey_events (app_id, family, journey_id);
CREATE INDEX ix_journey_events_app_type_id ON journey_events (app_id, type, id);
CREATE INDEX ix_signage_sessions_app_campaign_created ON signage_sessions (app_id, campaign_id, created_at);
CREATE INDEX ix_signage_coupons_free ON signage_coupons (app_id, campaign_id, id) WHERE session_id IS NULL;
CREATE INDEX ix_loyalty_prompts_session_id ON loyalty_prompts (session_id);
CREATE INDEX ix_loyalty_transactions_app_member_id ON loyalty_transactions (app_id, member_id, id);
CREATE INDEX ix_partner_profiles_app_id ON partner_profiles (app_id);
CREATE INDEX ix_partner_contacts_profile ON partner_contacts (profile_id, position);
CREATE INDEX ix_partner_clicks_app_create ON partner_clicks (app_id, create_time, id);
CREATE INDEX ix_partner_clicks_app_profile ON partner_clicks (app_id, profile_id);
CREATE INDEX ix_partner_clicks_visitor ON partner_clicks (app_id, ip, ua_hash, link_id, time);
CREATE INDEX ix_partner_clicks_app_link ON partner_clicks (app_id, link_id, time);
CREATE INDEX ix_partner_clicks_app_time_create ON partner_clicks (app_id, time, id, create_time);
CREATE INDEX ix_partner_clicks_app_country ON partner_clicks (app_id, country_code, create_time, time);
CREATE INDEX ix_partner_clicks_app_verdict ON partner_clicks (app_id, verdict, create_time, time);
CREATE INDEX ix_survey_clicks_user ON survey_clicks (app_id, user_id, survey_id);
CREATE INDEX ix_survey_clicks_survey_status ON survey_clicks (app_id, survey_id, status);
CREATE INDEX ix_outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX ix_outbox_app_id_id ON outbox (app_id, id);
CREATE INDEX ix_outbox_app_status_id ON outbox (app_id, status, id);
COMMIT;
