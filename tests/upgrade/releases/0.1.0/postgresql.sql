--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: partner_clicks_release_uuid(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.partner_clicks_release_uuid() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF OLD.uuid IS NOT NULL THEN
        DELETE FROM partner_click_uuids u
        WHERE u.app_id = OLD.app_id AND u.uuid = OLD.uuid AND u.click_id = OLD.id
        AND NOT EXISTS (  -- an UPDATE moving the click to another partition deletes it there, inserts it here
            SELECT 1 FROM partner_clicks c WHERE c.id = OLD.id AND c.app_id = OLD.app_id AND c.uuid = OLD.uuid
        );
    END IF;
    RETURN NULL;
END
$$;


--
-- Name: partner_clicks_reserve_uuid(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.partner_clicks_reserve_uuid() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    holder varchar;
BEGIN
    IF NEW.uuid IS NULL THEN
        RETURN NEW;
    END IF;
    INSERT INTO partner_click_uuids (app_id, uuid, click_id, create_time)
    VALUES (NEW.app_id, NEW.uuid, NEW.id, NEW.create_time)
    ON CONFLICT (app_id, uuid) DO NOTHING;
    IF FOUND THEN
        RETURN NEW;
    END IF;
    SELECT click_id INTO holder FROM partner_click_uuids
    WHERE app_id = NEW.app_id AND uuid = NEW.uuid FOR UPDATE;
    IF holder = NEW.id THEN  -- the same click, moved between partitions
        RETURN NEW;
    END IF;
    IF EXISTS (
        SELECT 1 FROM partner_clicks WHERE id = holder AND app_id = NEW.app_id AND uuid = NEW.uuid
    ) THEN
        RAISE unique_violation USING
            MESSAGE = 'duplicate key value violates unique constraint "uq_partner_clicks_app_id_uuid"',
            DETAIL = format('Key (app_id, uuid)=(%s, %s) already exists.', NEW.app_id, NEW.uuid),
            CONSTRAINT = 'uq_partner_clicks_app_id_uuid', TABLE = 'partner_clicks';
    END IF;
    UPDATE partner_click_uuids SET click_id = NEW.id, create_time = NEW.create_time
    WHERE app_id = NEW.app_id AND uuid = NEW.uuid;  -- its click went with a dropped partition
    RETURN NEW;
END
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: access_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.access_tokens (
    token_hash character varying(64) NOT NULL,
    credential_id integer NOT NULL,
    app_id character varying(64) NOT NULL,
    scopes jsonb NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: alembic_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);


--
-- Name: apps; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.apps (
    id character varying(64) NOT NULL,
    name character varying(255) NOT NULL,
    config jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: credentials; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.credentials (
    id integer NOT NULL,
    app_id character varying(64) NOT NULL,
    name character varying(64) NOT NULL,
    client_id character varying(128),
    secret_hash character varying(64) NOT NULL,
    scopes jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    rotated_at timestamp with time zone,
    revoked_at timestamp with time zone
);


--
-- Name: credentials_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.credentials_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: credentials_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.credentials_id_seq OWNED BY public.credentials.id;


--
-- Name: journey_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.journey_events (
    id bigint NOT NULL,
    app_id character varying(64) NOT NULL,
    family character varying(16) NOT NULL,
    journey_id character varying(64) NOT NULL,
    user_id character varying(255),
    type character varying(64) NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL
)
PARTITION BY RANGE (created_at);


--
-- Name: journey_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.journey_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: journey_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.journey_events_id_seq OWNED BY public.journey_events.id;


--
-- Name: journey_events_default; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.journey_events_default (
    id bigint DEFAULT nextval('public.journey_events_id_seq'::regclass) NOT NULL,
    app_id character varying(64) NOT NULL,
    family character varying(16) NOT NULL,
    journey_id character varying(64) NOT NULL,
    user_id character varying(255),
    type character varying(64) NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: journey_events_p2026_12; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.journey_events_p2026_12 (
    id bigint DEFAULT nextval('public.journey_events_id_seq'::regclass) NOT NULL,
    app_id character varying(64) NOT NULL,
    family character varying(16) NOT NULL,
    journey_id character varying(64) NOT NULL,
    user_id character varying(255),
    type character varying(64) NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: journey_events_p2027_01; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.journey_events_p2027_01 (
    id bigint DEFAULT nextval('public.journey_events_id_seq'::regclass) NOT NULL,
    app_id character varying(64) NOT NULL,
    family character varying(16) NOT NULL,
    journey_id character varying(64) NOT NULL,
    user_id character varying(255),
    type character varying(64) NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: journey_events_p2027_02; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.journey_events_p2027_02 (
    id bigint DEFAULT nextval('public.journey_events_id_seq'::regclass) NOT NULL,
    app_id character varying(64) NOT NULL,
    family character varying(16) NOT NULL,
    journey_id character varying(64) NOT NULL,
    user_id character varying(255),
    type character varying(64) NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: loyalty_member_identifiers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.loyalty_member_identifiers (
    app_id character varying(64) NOT NULL,
    identifier_type character varying(32) NOT NULL,
    value character varying(255) NOT NULL,
    member_id bigint NOT NULL
);


--
-- Name: loyalty_members; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.loyalty_members (
    id bigint NOT NULL,
    app_id character varying(64) NOT NULL,
    account_id character varying(128) NOT NULL,
    loyalty_id character varying(128) NOT NULL,
    points_balance bigint NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: loyalty_members_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.loyalty_members_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: loyalty_members_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.loyalty_members_id_seq OWNED BY public.loyalty_members.id;


--
-- Name: loyalty_offers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.loyalty_offers (
    app_id character varying(64) NOT NULL,
    id character varying(64) NOT NULL,
    threshold_cents bigint NOT NULL,
    bonus_points bigint NOT NULL,
    message jsonb NOT NULL,
    "position" integer NOT NULL
);


--
-- Name: loyalty_programs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.loyalty_programs (
    app_id character varying(64) NOT NULL,
    points_per_unit character varying(32) NOT NULL,
    near_miss_window_cents bigint NOT NULL,
    currency character varying(3) NOT NULL,
    locale character varying(32) NOT NULL
);


--
-- Name: loyalty_prompts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.loyalty_prompts (
    id bigint NOT NULL,
    app_id character varying(64) NOT NULL,
    prompt_id character varying(64) NOT NULL,
    session_id bigint NOT NULL,
    trial_id bigint NOT NULL,
    offer_id character varying(64) NOT NULL,
    gap_cents bigint NOT NULL,
    message text NOT NULL,
    response character varying(16),
    answered_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: loyalty_prompts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.loyalty_prompts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: loyalty_prompts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.loyalty_prompts_id_seq OWNED BY public.loyalty_prompts.id;


--
-- Name: loyalty_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.loyalty_sessions (
    id bigint NOT NULL,
    app_id character varying(64) NOT NULL,
    correlation_id character varying(64) NOT NULL,
    member_id bigint,
    channel character varying(32) NOT NULL,
    locale character varying(32) NOT NULL,
    external_identifier character varying(255),
    state character varying(16) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: loyalty_sessions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.loyalty_sessions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: loyalty_sessions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.loyalty_sessions_id_seq OWNED BY public.loyalty_sessions.id;


--
-- Name: loyalty_transactions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.loyalty_transactions (
    id bigint NOT NULL,
    app_id character varying(64) NOT NULL,
    transaction_id character varying(64) NOT NULL,
    session_id bigint NOT NULL,
    member_id bigint,
    call_id character varying(64) NOT NULL,
    amount_cents bigint NOT NULL,
    currency character varying(3) NOT NULL,
    base_points bigint NOT NULL,
    bonus_points bigint NOT NULL,
    transaction_date timestamp with time zone NOT NULL,
    response json NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: loyalty_transactions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.loyalty_transactions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: loyalty_transactions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.loyalty_transactions_id_seq OWNED BY public.loyalty_transactions.id;


--
-- Name: loyalty_trials; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.loyalty_trials (
    id bigint NOT NULL,
    app_id character varying(64) NOT NULL,
    session_id bigint NOT NULL,
    call_id character varying(64) NOT NULL,
    amount_cents bigint NOT NULL,
    response json NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: loyalty_trials_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.loyalty_trials_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: loyalty_trials_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.loyalty_trials_id_seq OWNED BY public.loyalty_trials.id;


--
-- Name: outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbox (
    id bigint NOT NULL,
    app_id character varying(64) NOT NULL,
    topic character varying(64) NOT NULL,
    method character varying(8) NOT NULL,
    url character varying(4096) NOT NULL,
    headers jsonb NOT NULL,
    body text,
    status character varying(16) NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    last_error character varying(1024),
    created_at timestamp with time zone NOT NULL,
    delivered_at timestamp with time zone,
    webhook_id integer
);


--
-- Name: outbox_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.outbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: outbox_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.outbox_id_seq OWNED BY public.outbox.id;


--
-- Name: partner_banners; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partner_banners (
    app_id character varying(64) NOT NULL,
    id character varying(64) NOT NULL,
    link_id character varying(64) NOT NULL,
    name character varying(255) NOT NULL,
    cdn_file_url character varying(2048)
);


--
-- Name: partner_click_uuids; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partner_click_uuids (
    app_id character varying(64) NOT NULL,
    uuid character varying(255) NOT NULL,
    click_id character varying(24) NOT NULL,
    create_time timestamp with time zone NOT NULL
);


--
-- Name: partner_clicks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partner_clicks (
    id character varying(24) NOT NULL,
    app_id character varying(64) NOT NULL,
    "time" timestamp with time zone NOT NULL,
    referrer character varying(2048),
    ip character varying(45),
    uri character varying(2048) NOT NULL,
    user_agent character varying(2048),
    ua_hash character varying(32),
    locale character varying(64),
    uuid character varying(255),
    utm_campaign character varying(255),
    utm_content character varying(255),
    utm_medium character varying(255),
    utm_source character varying(255),
    utm_term character varying(255),
    profile_id character varying(24),
    link_id character varying(64),
    banner_id character varying(64),
    banner_name character varying(255),
    banner_cdn_file_url character varying(2048),
    latitude double precision,
    longitude double precision,
    city character varying(255),
    country_code character varying(2),
    country_name character varying(255),
    browser character varying(128),
    browser_version character varying(64),
    os character varying(128),
    os_version character varying(64),
    device character varying(128),
    is_bot boolean NOT NULL,
    is_unique boolean NOT NULL,
    verdict character varying(16) NOT NULL,
    verdict_reason character varying(32),
    registered_time timestamp with time zone,
    create_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL,
    deleted_time timestamp with time zone
)
PARTITION BY RANGE (create_time);


--
-- Name: partner_clicks_default; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partner_clicks_default (
    id character varying(24) NOT NULL,
    app_id character varying(64) NOT NULL,
    "time" timestamp with time zone NOT NULL,
    referrer character varying(2048),
    ip character varying(45),
    uri character varying(2048) NOT NULL,
    user_agent character varying(2048),
    ua_hash character varying(32),
    locale character varying(64),
    uuid character varying(255),
    utm_campaign character varying(255),
    utm_content character varying(255),
    utm_medium character varying(255),
    utm_source character varying(255),
    utm_term character varying(255),
    profile_id character varying(24),
    link_id character varying(64),
    banner_id character varying(64),
    banner_name character varying(255),
    banner_cdn_file_url character varying(2048),
    latitude double precision,
    longitude double precision,
    city character varying(255),
    country_code character varying(2),
    country_name character varying(255),
    browser character varying(128),
    browser_version character varying(64),
    os character varying(128),
    os_version character varying(64),
    device character varying(128),
    is_bot boolean NOT NULL,
    is_unique boolean NOT NULL,
    verdict character varying(16) NOT NULL,
    verdict_reason character varying(32),
    registered_time timestamp with time zone,
    create_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL,
    deleted_time timestamp with time zone
);


--
-- Name: partner_clicks_p2026_12; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partner_clicks_p2026_12 (
    id character varying(24) NOT NULL,
    app_id character varying(64) NOT NULL,
    "time" timestamp with time zone NOT NULL,
    referrer character varying(2048),
    ip character varying(45),
    uri character varying(2048) NOT NULL,
    user_agent character varying(2048),
    ua_hash character varying(32),
    locale character varying(64),
    uuid character varying(255),
    utm_campaign character varying(255),
    utm_content character varying(255),
    utm_medium character varying(255),
    utm_source character varying(255),
    utm_term character varying(255),
    profile_id character varying(24),
    link_id character varying(64),
    banner_id character varying(64),
    banner_name character varying(255),
    banner_cdn_file_url character varying(2048),
    latitude double precision,
    longitude double precision,
    city character varying(255),
    country_code character varying(2),
    country_name character varying(255),
    browser character varying(128),
    browser_version character varying(64),
    os character varying(128),
    os_version character varying(64),
    device character varying(128),
    is_bot boolean NOT NULL,
    is_unique boolean NOT NULL,
    verdict character varying(16) NOT NULL,
    verdict_reason character varying(32),
    registered_time timestamp with time zone,
    create_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL,
    deleted_time timestamp with time zone
);


--
-- Name: partner_clicks_p2027_01; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partner_clicks_p2027_01 (
    id character varying(24) NOT NULL,
    app_id character varying(64) NOT NULL,
    "time" timestamp with time zone NOT NULL,
    referrer character varying(2048),
    ip character varying(45),
    uri character varying(2048) NOT NULL,
    user_agent character varying(2048),
    ua_hash character varying(32),
    locale character varying(64),
    uuid character varying(255),
    utm_campaign character varying(255),
    utm_content character varying(255),
    utm_medium character varying(255),
    utm_source character varying(255),
    utm_term character varying(255),
    profile_id character varying(24),
    link_id character varying(64),
    banner_id character varying(64),
    banner_name character varying(255),
    banner_cdn_file_url character varying(2048),
    latitude double precision,
    longitude double precision,
    city character varying(255),
    country_code character varying(2),
    country_name character varying(255),
    browser character varying(128),
    browser_version character varying(64),
    os character varying(128),
    os_version character varying(64),
    device character varying(128),
    is_bot boolean NOT NULL,
    is_unique boolean NOT NULL,
    verdict character varying(16) NOT NULL,
    verdict_reason character varying(32),
    registered_time timestamp with time zone,
    create_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL,
    deleted_time timestamp with time zone
);


--
-- Name: partner_clicks_p2027_02; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partner_clicks_p2027_02 (
    id character varying(24) NOT NULL,
    app_id character varying(64) NOT NULL,
    "time" timestamp with time zone NOT NULL,
    referrer character varying(2048),
    ip character varying(45),
    uri character varying(2048) NOT NULL,
    user_agent character varying(2048),
    ua_hash character varying(32),
    locale character varying(64),
    uuid character varying(255),
    utm_campaign character varying(255),
    utm_content character varying(255),
    utm_medium character varying(255),
    utm_source character varying(255),
    utm_term character varying(255),
    profile_id character varying(24),
    link_id character varying(64),
    banner_id character varying(64),
    banner_name character varying(255),
    banner_cdn_file_url character varying(2048),
    latitude double precision,
    longitude double precision,
    city character varying(255),
    country_code character varying(2),
    country_name character varying(255),
    browser character varying(128),
    browser_version character varying(64),
    os character varying(128),
    os_version character varying(64),
    device character varying(128),
    is_bot boolean NOT NULL,
    is_unique boolean NOT NULL,
    verdict character varying(16) NOT NULL,
    verdict_reason character varying(32),
    registered_time timestamp with time zone,
    create_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL,
    deleted_time timestamp with time zone
);


--
-- Name: partner_contacts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partner_contacts (
    id integer NOT NULL,
    app_id character varying(64) NOT NULL,
    profile_id character varying(24) NOT NULL,
    "position" integer NOT NULL,
    key character varying(16) NOT NULL,
    value character varying(255) NOT NULL,
    value_lc character varying(255) NOT NULL,
    uuid character varying(255)
);


--
-- Name: partner_contacts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.partner_contacts_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: partner_contacts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.partner_contacts_id_seq OWNED BY public.partner_contacts.id;


--
-- Name: partner_links; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partner_links (
    app_id character varying(64) NOT NULL,
    id character varying(64) NOT NULL,
    uri character varying(2048) NOT NULL,
    name character varying(255),
    match_key character varying(2400) NOT NULL,
    postback_url character varying(2048),
    create_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL
);


--
-- Name: partner_profiles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partner_profiles (
    id character varying(24) NOT NULL,
    app_id character varying(64) NOT NULL,
    first_name character varying(255),
    last_name character varying(255),
    middle_name character varying(255),
    full_name_lc character varying(800) NOT NULL,
    enabled boolean NOT NULL,
    uuid character varying(255),
    tag character varying(255),
    country_code character varying(2),
    country_name character varying(255),
    create_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL
);


--
-- Name: partner_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partner_settings (
    app_id character varying(64) NOT NULL,
    duplicate_window_seconds integer NOT NULL,
    blocked_networks jsonb NOT NULL,
    blocked_countries jsonb NOT NULL,
    version integer NOT NULL
);


--
-- Name: rollup_counts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.rollup_counts (
    app_id character varying(64) NOT NULL,
    family character varying(16) NOT NULL,
    dimension character varying(32) NOT NULL,
    measure character varying(80) NOT NULL,
    bucket timestamp with time zone NOT NULL,
    dim_value character varying(255) NOT NULL,
    count bigint NOT NULL
);


--
-- Name: signage_campaigns; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signage_campaigns (
    app_id character varying(64) NOT NULL,
    id character varying(64) NOT NULL,
    form_url character varying(2048) NOT NULL,
    statuses jsonb NOT NULL,
    coupon_after character varying(64) NOT NULL,
    session_ttl_seconds integer,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: signage_coupons; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signage_coupons (
    id bigint NOT NULL,
    app_id character varying(64) NOT NULL,
    campaign_id character varying(64) NOT NULL,
    code character varying(64) NOT NULL,
    source character varying(16) NOT NULL,
    session_id character varying(36),
    issued_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: signage_coupons_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.signage_coupons_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: signage_coupons_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.signage_coupons_id_seq OWNED BY public.signage_coupons.id;


--
-- Name: signage_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signage_sessions (
    id character varying(36) NOT NULL,
    app_id character varying(64) NOT NULL,
    campaign_id character varying(64) NOT NULL,
    source character varying(8) NOT NULL,
    status character varying(64),
    status_changed_at timestamp with time zone,
    coupon_code character varying(64),
    coupon_issued_at timestamp with time zone,
    ip character varying(45),
    country character varying(2),
    user_agent character varying(512),
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone
);


--
-- Name: survey_answers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.survey_answers (
    app_id character varying(64) NOT NULL,
    user_id character varying(65) NOT NULL,
    question_id character varying(64) NOT NULL,
    answers jsonb NOT NULL,
    click_id character varying(36) NOT NULL,
    answered_at timestamp with time zone NOT NULL
);


--
-- Name: survey_clicks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.survey_clicks (
    id character varying(36) NOT NULL,
    app_id character varying(64) NOT NULL,
    user_id character varying(65) NOT NULL,
    survey_id character varying(64) NOT NULL,
    session_id character varying(32) NOT NULL,
    click_type character varying(16) NOT NULL,
    question_mode character varying(8) NOT NULL,
    country character varying(2),
    languages jsonb NOT NULL,
    plan jsonb NOT NULL,
    details jsonb NOT NULL,
    cursor integer NOT NULL,
    status character varying(16) NOT NULL,
    redirect_type character varying(16),
    redirect_url character varying(4096),
    end_reason character varying(32),
    complete_tx character varying(40),
    reconciled boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: survey_questions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.survey_questions (
    app_id character varying(64) NOT NULL,
    id character varying(64) NOT NULL,
    type character varying(8) NOT NULL,
    texts jsonb NOT NULL,
    answers jsonb NOT NULL,
    can_skip boolean NOT NULL,
    example character varying(255),
    birthdate boolean NOT NULL,
    validation jsonb NOT NULL
);


--
-- Name: survey_quotas; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.survey_quotas (
    app_id character varying(64) NOT NULL,
    survey_id character varying(64) NOT NULL,
    country character varying(2) NOT NULL,
    cap_completes integer,
    cap_open_clicks integer,
    completes integer NOT NULL,
    open_clicks integer NOT NULL
);


--
-- Name: survey_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.survey_sessions (
    id character varying(32) NOT NULL,
    app_id character varying(64) NOT NULL,
    user_id character varying(65) NOT NULL,
    country character varying(2),
    languages jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: survey_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.survey_settings (
    app_id character varying(64) NOT NULL,
    currency_factor numeric(18,4) NOT NULL,
    termination_url character varying(2048) NOT NULL,
    start_bonus_url character varying(2048),
    callback_url character varying(2048),
    callback_secret character varying(255),
    screenout_reward numeric(16,4),
    profile_questions jsonb NOT NULL,
    start_bonus_id character varying(64),
    app_settings jsonb
);


--
-- Name: survey_skips; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.survey_skips (
    app_id character varying(64) NOT NULL,
    user_id character varying(65) NOT NULL,
    survey_id character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: survey_start_bonuses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.survey_start_bonuses (
    app_id character varying(64) NOT NULL,
    user_id character varying(65) NOT NULL,
    click_id character varying(36) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: survey_surveys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.survey_surveys (
    app_id character varying(64) NOT NULL,
    id character varying(64) NOT NULL,
    type character varying(16) NOT NULL,
    active boolean NOT NULL,
    "position" integer NOT NULL,
    cpi numeric(16,4) NOT NULL,
    loi double precision NOT NULL,
    country character varying(2),
    language character varying(2),
    rating integer NOT NULL,
    category jsonb NOT NULL,
    entry_url character varying(2048),
    questions jsonb NOT NULL
);


--
-- Name: survey_users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.survey_users (
    app_id character varying(64) NOT NULL,
    user_id character varying(65) NOT NULL,
    first_click_id character varying(36) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: webhooks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhooks (
    id integer NOT NULL,
    app_id character varying(64) NOT NULL,
    url character varying(2048) NOT NULL,
    secret character varying(255) NOT NULL,
    events jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: webhooks_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.webhooks_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: webhooks_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.webhooks_id_seq OWNED BY public.webhooks.id;


--
-- Name: journey_events_default; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.journey_events ATTACH PARTITION public.journey_events_default DEFAULT;


--
-- Name: journey_events_p2026_12; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.journey_events ATTACH PARTITION public.journey_events_p2026_12 FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');


--
-- Name: journey_events_p2027_01; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.journey_events ATTACH PARTITION public.journey_events_p2027_01 FOR VALUES FROM ('2027-01-01 00:00:00+00') TO ('2027-02-01 00:00:00+00');


--
-- Name: journey_events_p2027_02; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.journey_events ATTACH PARTITION public.journey_events_p2027_02 FOR VALUES FROM ('2027-02-01 00:00:00+00') TO ('2027-03-01 00:00:00+00');


--
-- Name: partner_clicks_default; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_clicks ATTACH PARTITION public.partner_clicks_default DEFAULT;


--
-- Name: partner_clicks_p2026_12; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_clicks ATTACH PARTITION public.partner_clicks_p2026_12 FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');


--
-- Name: partner_clicks_p2027_01; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_clicks ATTACH PARTITION public.partner_clicks_p2027_01 FOR VALUES FROM ('2027-01-01 00:00:00+00') TO ('2027-02-01 00:00:00+00');


--
-- Name: partner_clicks_p2027_02; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_clicks ATTACH PARTITION public.partner_clicks_p2027_02 FOR VALUES FROM ('2027-02-01 00:00:00+00') TO ('2027-03-01 00:00:00+00');


--
-- Name: credentials id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.credentials ALTER COLUMN id SET DEFAULT nextval('public.credentials_id_seq'::regclass);


--
-- Name: journey_events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.journey_events ALTER COLUMN id SET DEFAULT nextval('public.journey_events_id_seq'::regclass);


--
-- Name: loyalty_members id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_members ALTER COLUMN id SET DEFAULT nextval('public.loyalty_members_id_seq'::regclass);


--
-- Name: loyalty_prompts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_prompts ALTER COLUMN id SET DEFAULT nextval('public.loyalty_prompts_id_seq'::regclass);


--
-- Name: loyalty_sessions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_sessions ALTER COLUMN id SET DEFAULT nextval('public.loyalty_sessions_id_seq'::regclass);


--
-- Name: loyalty_transactions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_transactions ALTER COLUMN id SET DEFAULT nextval('public.loyalty_transactions_id_seq'::regclass);


--
-- Name: loyalty_trials id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_trials ALTER COLUMN id SET DEFAULT nextval('public.loyalty_trials_id_seq'::regclass);


--
-- Name: outbox id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox ALTER COLUMN id SET DEFAULT nextval('public.outbox_id_seq'::regclass);


--
-- Name: partner_contacts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_contacts ALTER COLUMN id SET DEFAULT nextval('public.partner_contacts_id_seq'::regclass);


--
-- Name: signage_coupons id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signage_coupons ALTER COLUMN id SET DEFAULT nextval('public.signage_coupons_id_seq'::regclass);


--
-- Name: webhooks id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks ALTER COLUMN id SET DEFAULT nextval('public.webhooks_id_seq'::regclass);


--
-- Data for Name: access_tokens; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.access_tokens VALUES ('ad1ccba9d65781a728bdec88fb0ed3aeb9c58ecfbf5a68b9a19a1773dc9d8048', 2, 'demo', '["partners"]', '2026-12-07 05:29:44.44217+00');
INSERT INTO public.access_tokens VALUES ('995358219a6a4cce226b5a27e1ca3b647b9c76874024fe3cbfcef008be4a763a', 2, 'demo', '["partners"]', '2026-12-07 05:29:44.715483+00');
INSERT INTO public.access_tokens VALUES ('34dc7ed24e4ddc42de00e417fe0a749f5615b16146025fbb47e549e74374f0b4', 3, 'demo', '["loyalty"]', '2026-12-07 05:29:44.855527+00');
INSERT INTO public.access_tokens VALUES ('5df89a09cc4fe4c94be01bfb525db0599d2f8a8d81b619b3c22cdb90d5722040', 3, 'demo', '["loyalty"]', '2026-12-07 05:29:45.191137+00');


--
-- Data for Name: alembic_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.alembic_version VALUES ('signage_0001');
INSERT INTO public.alembic_version VALUES ('loyalty_0001');
INSERT INTO public.alembic_version VALUES ('partners_0005');
INSERT INTO public.alembic_version VALUES ('surveys_0002');
INSERT INTO public.alembic_version VALUES ('core_0005');


--
-- Data for Name: apps; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.apps VALUES ('demo', 'Demo Rewards', '{"loyalty": {"locale": "en-US", "offers": [{"id": "spend50", "message": {"en": "Spend {gap} more to earn 500 bonus points", "fr": "Dépensez {gap} de plus pour gagner 500 points bonis"}, "threshold": "50.0", "bonus_points": 500}], "currency": "USD", "points_per_unit": "10", "near_miss_window": "5.0"}, "signage": {"campaigns": [{"id": "spring-form", "coupons": {"codes": ["SPRING-0001", "SPRING-0002", "SPRING-0003"]}, "form_url": "https://brand.example/form", "statuses": ["FORM_SUBMITTED", "FORM_REVIEWING", "FORM_APPROVED"], "coupon_after": "FORM_APPROVED"}, {"id": "summer-quiz", "coupons": {"generate": {"count": 100, "length": 8, "prefix": "SUMMER-"}}, "form_url": "https://brand.example/quiz?lang=en", "statuses": ["QUIZ_STARTED", "QUIZ_FINISHED"], "coupon_after": "QUIZ_FINISHED", "session_ttl_seconds": 86400}]}, "surveys": {"list": [{"id": "srv-auto", "cpi": "1.20", "loi": 5.3, "quota": {"completes": 100, "countries": {"US": {"completes": 80}}, "open_clicks": 50}, "rating": 4, "country": "US", "category": {"name": "Automotive", "icon_url": "", "icon_name": "car", "name_internal": "automotive"}, "language": "en", "entry_url": "https://surveys.example/start?click={click_id}", "questions": [{"id": "q-color", "qualifying": ["1"]}, {"id": "q-zip"}, {"id": "q-cars", "qualifying": {"max": 5, "min": 1}}]}, {"id": "srv-brands", "cpi": "0.85", "loi": 12.0, "rating": 3, "country": "US", "category": {"name": "Shopping", "icon_url": "", "icon_name": "bag", "name_internal": "shopping"}, "language": "en", "entry_url": "https://surveys.example/start?click={click_id}", "questions": [{"id": "q-brands", "qualifying": ["a", "b"]}]}], "questions": [{"id": "q-color", "text": {"de": "Was ist deine Lieblingsfarbe?", "en": "What is your favorite color?"}, "type": "SINGLE", "answers": [{"code": "1", "text": {"de": "Rot", "en": "Red"}}, {"code": "2", "text": {"de": "Blau", "en": "Blue"}}], "can_skip": false, "validation": {"max": 1, "min": 1, "regex": null}}, {"id": "q-zip", "text": {"en": "Your ZIP code?"}, "type": "TEXT", "example": "10001", "can_skip": true, "validation": {"max": 5, "min": 5, "regex": "^[0-9]{5}$"}}, {"id": "q-birthdate", "text": {"de": "Dein Geburtsdatum?", "en": "Your date of birth?"}, "type": "DATE", "birthdate": true, "validation": {"max": 99, "min": 18, "regex": null}}, {"id": "q-cars", "text": {"en": "How many cars does your household own?"}, "type": "NUMBER", "validation": {"max": "20", "min": "0", "regex": null}}, {"id": "q-brands", "text": {"en": "Which brands have you bought from?"}, "type": "MULTI", "answers": [{"code": "a", "text": {"en": "Acme"}}, {"code": "b", "text": {"en": "Globex"}}, {"code": "c", "text": {"en": "Initech"}}], "validation": {"max": 2, "min": 1, "regex": null}}], "start_bonus": {"reward": "0.50", "questions": ["q-zip", "q-cars"]}, "app_settings": {"dark": {"background_color": "#121212", "navigation_color": "#202124", "interaction_color": "#8ab4f8"}, "light": {"background_color": "#f5f7fb", "navigation_color": "#1a73e8", "interaction_color": "#1a73e8", "survey_icon_color": "#1a73e8"}, "currency": {"symbol": "Coins", "floor_decimal": false, "symbol_is_image": false}}, "callback_url": "http://127.0.0.1:9000/callback?uid=[%UID%]&val=[%VAL%]&raw=[%RAW%]&tx=[%TX%]&type=[%TYPE%]", "callback_secret": "demo-callback-secret", "currency_factor": "100", "start_bonus_url": "https://publisher.example/back?status=bonus&uid=[%UID%]&val=[%VAL%]", "termination_url": "https://publisher.example/back?status=terminated&uid=[%UID%]", "profile_questions": ["q-birthdate"]}, "partners": {"links": [{"id": "6006dda272f002519c3eb505", "uri": "https://my.stage.org/register?referral=1", "name": "Sign-up page", "banners": [{"id": "6006dda272f002519c3eb506", "name": "Tight Spreads", "cdn_file_url": "https://cdn.example/b.png"}], "postback_url": "http://127.0.0.1:9000/postback?click={click_id}&profile={profile_id}&source={utm_source}"}], "blocklist": {"networks": ["198.51.100.0/24"], "countries": []}, "duplicate_window_seconds": 1800}}', '2026-12-07 04:29:43.528839+00', '2026-12-07 04:29:43.79066+00');


--
-- Data for Name: credentials; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.credentials VALUES (1, 'demo', 'wall', NULL, 'eb49f59571d14f797d347c5d3c3ee696dad6a6e95f523d835a428ddcdbd1acc1', '["surveys"]', '2026-12-07 04:29:43.567446+00', NULL, NULL);
INSERT INTO public.credentials VALUES (2, 'demo', 'ib', 'ib-1', 'a5e71e8bb03f46b6267a29faa7df11a52636761d6d1a766d8bed3a53418d637f', '["partners"]', '2026-12-07 04:29:43.581461+00', NULL, NULL);
INSERT INTO public.credentials VALUES (3, 'demo', 'pos', 'pos-1', 'e24d3c5bc0bfb9a64d3a8db82845ad7eb63b19a0cadbf5c43fb5d280cc10e37d', '["loyalty"]', '2026-12-07 04:29:43.589091+00', NULL, NULL);
INSERT INTO public.credentials VALUES (4, 'demo', 'signage', NULL, '09c72624c8e869f86116208a0c32577fc394148fb851250cbe9d7bbe07351569', '["signage"]', '2026-12-07 04:29:43.597063+00', NULL, NULL);


--
-- Data for Name: journey_events_default; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: journey_events_p2026_12; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.journey_events_p2026_12 VALUES (1, 'demo', 'surveys', '26f422b9-2163-4592-be80-1d05c30e881f', 'alice', 'click.created', '{"country": "US", "survey_id": "srv-auto", "click_type": "survey", "question_mode": "first", "required_questions": 4}', '2026-12-07 04:29:43.937077+00');
INSERT INTO public.journey_events_p2026_12 VALUES (2, 'demo', 'surveys', '26f422b9-2163-4592-be80-1d05c30e881f', 'alice', 'question.answered', '{"position": 0, "qualifies": true, "survey_id": "srv-auto", "question_id": "q-birthdate"}', '2026-12-07 04:29:43.98013+00');
INSERT INTO public.journey_events_p2026_12 VALUES (3, 'demo', 'surveys', '26f422b9-2163-4592-be80-1d05c30e881f', 'alice', 'question.answered', '{"answers": ["1"], "position": 1, "qualifies": true, "survey_id": "srv-auto", "question_id": "q-color"}', '2026-12-07 04:29:43.999547+00');
INSERT INTO public.journey_events_p2026_12 VALUES (4, 'demo', 'surveys', '26f422b9-2163-4592-be80-1d05c30e881f', 'alice', 'question.skipped', '{"position": 2, "survey_id": "srv-auto", "question_id": "q-zip"}', '2026-12-07 04:29:44.027561+00');
INSERT INTO public.journey_events_p2026_12 VALUES (5, 'demo', 'surveys', '26f422b9-2163-4592-be80-1d05c30e881f', 'alice', 'question.answered', '{"position": 3, "qualifies": true, "survey_id": "srv-auto", "question_id": "q-cars"}', '2026-12-07 04:29:44.051576+00');
INSERT INTO public.journey_events_p2026_12 VALUES (6, 'demo', 'surveys', '26f422b9-2163-4592-be80-1d05c30e881f', 'alice', 'click.qualified', '{"cpi": "1.2", "country": "US", "survey_id": "srv-auto"}', '2026-12-07 04:29:44.053104+00');
INSERT INTO public.journey_events_p2026_12 VALUES (7, 'demo', 'surveys', '26f422b9-2163-4592-be80-1d05c30e881f', 'alice', 'survey.completed', '{"tx": "990cf6993181c78bd9531dcd9bc10113", "cpi": "1.2", "country": "US", "survey_id": "srv-auto"}', '2026-12-07 04:29:44.122337+00');
INSERT INTO public.journey_events_p2026_12 VALUES (8, 'demo', 'surveys', '0b00c035-03e4-42ce-8cd9-b18ba88bef48', 'bob', 'click.created', '{"country": "US", "survey_id": "srv-auto", "click_type": "survey", "question_mode": "first", "required_questions": 4}', '2026-12-07 04:29:44.235609+00');
INSERT INTO public.journey_events_p2026_12 VALUES (9, 'demo', 'surveys', '0b00c035-03e4-42ce-8cd9-b18ba88bef48', 'bob', 'question.answered', '{"position": 0, "qualifies": true, "survey_id": "srv-auto", "question_id": "q-birthdate"}', '2026-12-07 04:29:44.258747+00');
INSERT INTO public.journey_events_p2026_12 VALUES (10, 'demo', 'surveys', '0b00c035-03e4-42ce-8cd9-b18ba88bef48', 'bob', 'question.answered', '{"answers": ["1"], "position": 1, "qualifies": true, "survey_id": "srv-auto", "question_id": "q-color"}', '2026-12-07 04:29:44.29547+00');
INSERT INTO public.journey_events_p2026_12 VALUES (11, 'demo', 'surveys', '0b00c035-03e4-42ce-8cd9-b18ba88bef48', 'bob', 'question.skipped', '{"position": 2, "survey_id": "srv-auto", "question_id": "q-zip"}', '2026-12-07 04:29:44.316655+00');
INSERT INTO public.journey_events_p2026_12 VALUES (12, 'demo', 'surveys', '0b00c035-03e4-42ce-8cd9-b18ba88bef48', 'bob', 'question.answered', '{"position": 3, "qualifies": true, "survey_id": "srv-auto", "question_id": "q-cars"}', '2026-12-07 04:29:44.348936+00');
INSERT INTO public.journey_events_p2026_12 VALUES (13, 'demo', 'surveys', '0b00c035-03e4-42ce-8cd9-b18ba88bef48', 'bob', 'click.qualified', '{"cpi": "1.2", "country": "US", "survey_id": "srv-auto"}', '2026-12-07 04:29:44.3518+00');
INSERT INTO public.journey_events_p2026_12 VALUES (14, 'demo', 'surveys', '0b00c035-03e4-42ce-8cd9-b18ba88bef48', 'bob', 'survey.completed', '{"tx": "95bed728b67fe2764d08dd87490dc07c", "cpi": "1.2", "country": "US", "survey_id": "srv-auto"}', '2026-12-07 04:29:44.407845+00');
INSERT INTO public.journey_events_p2026_12 VALUES (15, 'demo', 'partners', '6b1636383de8451e5bbdba8b', NULL, 'click.created', '{"os": "Mac OS X", "bot": false, "device": "Mac", "reason": null, "unique": true, "browser": "Apple Mail", "link_id": "6006dda272f002519c3eb505", "verdict": "ok", "click_id": "6b1636383de8451e5bbdba8b", "banner_id": null, "utm_medium": null, "utm_source": "youtube.com", "country_code": "EE", "utm_campaign": "sport", "referrer_host": "twitter.com"}', '2026-12-07 04:29:44.493+00');
INSERT INTO public.journey_events_p2026_12 VALUES (16, 'demo', 'partners', '6b1636383de8451e5bbdba8b', '7f205735f5cd1bb331c3971a', 'click.registered', '{"os": "Mac OS X", "device": "Mac", "browser": "Apple Mail", "enabled": true, "link_id": "6006dda272f002519c3eb505", "verdict": "ok", "click_id": "6b1636383de8451e5bbdba8b", "banner_id": null, "utm_medium": null, "utm_source": "youtube.com", "country_code": "EE", "utm_campaign": "sport", "referrer_host": "twitter.com", "profile_country_code": "EE"}', '2026-12-07 04:29:44.556+00');
INSERT INTO public.journey_events_p2026_12 VALUES (17, 'demo', 'partners', '6b1636383de8451e5bbdba8c', NULL, 'click.created', '{"os": "Mac OS X", "bot": false, "device": "Mac", "reason": null, "unique": true, "browser": "Apple Mail", "link_id": "6006dda272f002519c3eb505", "verdict": "ok", "click_id": "6b1636383de8451e5bbdba8c", "banner_id": null, "utm_medium": null, "utm_source": "youtube.com", "country_code": "GB", "utm_campaign": "sport", "referrer_host": "twitter.com"}', '2026-12-07 04:29:44.735+00');
INSERT INTO public.journey_events_p2026_12 VALUES (18, 'demo', 'partners', '6b1636383de8451e5bbdba8c', '7a6216d92bb1c5908d8459f8', 'click.registered', '{"os": "Mac OS X", "device": "Mac", "browser": "Apple Mail", "enabled": true, "link_id": "6006dda272f002519c3eb505", "verdict": "ok", "click_id": "6b1636383de8451e5bbdba8c", "banner_id": null, "utm_medium": null, "utm_source": "youtube.com", "country_code": "GB", "utm_campaign": "sport", "referrer_host": "twitter.com", "profile_country_code": "EE"}', '2026-12-07 04:29:44.763+00');
INSERT INTO public.journey_events_p2026_12 VALUES (19, 'demo', 'loyalty', 'till-1', '8091284167927658', 'member.enrolled', '{"accountId": "83f65fce-6681-4dde-9bd1-f8fa513c2f9c", "identifierType": "EMAIL"}', '2026-12-07 04:29:44.967619+00');
INSERT INTO public.journey_events_p2026_12 VALUES (20, 'demo', 'loyalty', 'till-1', '8091284167927658', 'session.started', '{"channel": "STORE", "enrolled": true, "anonymous": false, "identifierType": "EMAIL"}', '2026-12-07 04:29:44.980434+00');
INSERT INTO public.journey_events_p2026_12 VALUES (21, 'demo', 'loyalty', 'till-1', '8091284167927658', 'trial.recorded', '{"amount": "46.50", "callId": "till-1-t1", "channel": "STORE", "prompts": 1, "currency": "USD", "estimatedPoints": 465}', '2026-12-07 04:29:45.005659+00');
INSERT INTO public.journey_events_p2026_12 VALUES (22, 'demo', 'loyalty', 'till-1', '8091284167927658', 'prompt.shown', '{"gap": "3.50", "channel": "STORE", "offerId": "spend50", "promptMessageId": "01a24ec3-ceaa-79d7-bea5-9c318500b455"}', '2026-12-07 04:29:45.005659+00');
INSERT INTO public.journey_events_p2026_12 VALUES (23, 'demo', 'loyalty', 'till-1', '8091284167927658', 'prompt.answered', '{"gap": "3.50", "channel": "STORE", "offerId": "spend50", "previous": null, "response": "accepted", "promptMessageId": "01a24ec3-ceaa-79d7-bea5-9c318500b455"}', '2026-12-07 04:29:45.055122+00');
INSERT INTO public.journey_events_p2026_12 VALUES (24, 'demo', 'loyalty', 'till-1', '8091284167927658', 'transaction.finalized', '{"amount": "50.00", "callId": "till-1-f1", "offers": ["spend50"], "channel": "STORE", "currency": "USD", "anonymous": false, "basePoints": 500, "bonusPoints": 500, "transactionId": "f2f9a715-2990-4b18-8aaa-47de66fcfcd8", "confirmationMode": null}', '2026-12-07 04:29:45.13888+00');
INSERT INTO public.journey_events_p2026_12 VALUES (25, 'demo', 'loyalty', 'till-2', '2489813024253330', 'member.enrolled', '{"accountId": "f3d1e179-4b21-42fd-9ebd-46f469198749", "identifierType": "EMAIL"}', '2026-12-07 04:29:45.237039+00');
INSERT INTO public.journey_events_p2026_12 VALUES (26, 'demo', 'loyalty', 'till-2', '2489813024253330', 'session.started', '{"channel": "STORE", "enrolled": true, "anonymous": false, "identifierType": "EMAIL"}', '2026-12-07 04:29:45.248693+00');
INSERT INTO public.journey_events_p2026_12 VALUES (27, 'demo', 'loyalty', 'till-2', '2489813024253330', 'trial.recorded', '{"amount": "46.50", "callId": "till-2-t1", "channel": "STORE", "prompts": 1, "currency": "USD", "estimatedPoints": 465}', '2026-12-07 04:29:45.319996+00');
INSERT INTO public.journey_events_p2026_12 VALUES (28, 'demo', 'loyalty', 'till-2', '2489813024253330', 'prompt.shown', '{"gap": "3.50", "channel": "STORE", "offerId": "spend50", "promptMessageId": "01a24ec3-cfae-7e09-aaf6-395a5199ab67"}', '2026-12-07 04:29:45.319996+00');
INSERT INTO public.journey_events_p2026_12 VALUES (29, 'demo', 'loyalty', 'till-2', '2489813024253330', 'prompt.answered', '{"gap": "3.50", "channel": "STORE", "offerId": "spend50", "previous": null, "response": "accepted", "promptMessageId": "01a24ec3-cfae-7e09-aaf6-395a5199ab67"}', '2026-12-07 04:29:45.336858+00');
INSERT INTO public.journey_events_p2026_12 VALUES (30, 'demo', 'loyalty', 'till-2', '2489813024253330', 'transaction.finalized', '{"amount": "50.00", "callId": "till-2-f1", "offers": ["spend50"], "channel": "STORE", "currency": "USD", "anonymous": false, "basePoints": 500, "bonusPoints": 500, "transactionId": "3017ab2e-47f5-412b-99d8-51d279501558", "confirmationMode": null}', '2026-12-07 04:29:45.361297+00');
INSERT INTO public.journey_events_p2026_12 VALUES (34, 'demo', 'signage', '01a24ec3-d020-7a9e-a921-e9a6a4c54179', NULL, 'coupon.issued', '{"status": "FORM_APPROVED", "campaign_id": "spring-form", "coupon_code": "SPRING-0001"}', '2026-12-07 04:29:45.451953+00');
INSERT INTO public.journey_events_p2026_12 VALUES (31, 'demo', 'signage', '01a24ec3-d020-7a9e-a921-e9a6a4c54179', NULL, 'scan.recorded', '{"ip": "127.0.0.1", "os": "iOS", "device": "iPhone", "is_bot": false, "browser": "Mobile Safari UI/WKWebView", "country": null, "campaign_id": "spring-form", "is_link_preview": false}', '2026-12-07 04:29:45.376173+00');
INSERT INTO public.journey_events_p2026_12 VALUES (32, 'demo', 'signage', '01a24ec3-d020-7a9e-a921-e9a6a4c54179', NULL, 'status.changed', '{"to": "FORM_SUBMITTED", "from": null, "skipped": [], "campaign_id": "spring-form"}', '2026-12-07 04:29:45.407571+00');
INSERT INTO public.journey_events_p2026_12 VALUES (33, 'demo', 'signage', '01a24ec3-d020-7a9e-a921-e9a6a4c54179', NULL, 'status.changed', '{"to": "FORM_APPROVED", "from": "FORM_SUBMITTED", "skipped": ["FORM_REVIEWING"], "campaign_id": "spring-form"}', '2026-12-07 04:29:45.445457+00');
INSERT INTO public.journey_events_p2026_12 VALUES (35, 'demo', 'signage', '01a24ec3-d099-7978-a23d-6b55d86023d2', NULL, 'scan.recorded', '{"ip": "127.0.0.1", "os": "iOS", "device": "iPhone", "is_bot": false, "browser": "Mobile Safari UI/WKWebView", "country": null, "campaign_id": "spring-form", "is_link_preview": false}', '2026-12-07 04:29:45.497182+00');
INSERT INTO public.journey_events_p2026_12 VALUES (36, 'demo', 'signage', '01a24ec3-d099-7978-a23d-6b55d86023d2', NULL, 'status.changed', '{"to": "FORM_SUBMITTED", "from": null, "skipped": [], "campaign_id": "spring-form"}', '2026-12-07 04:29:45.509561+00');
INSERT INTO public.journey_events_p2026_12 VALUES (37, 'demo', 'signage', '01a24ec3-d099-7978-a23d-6b55d86023d2', NULL, 'status.changed', '{"to": "FORM_APPROVED", "from": "FORM_SUBMITTED", "skipped": ["FORM_REVIEWING"], "campaign_id": "spring-form"}', '2026-12-07 04:29:45.521398+00');
INSERT INTO public.journey_events_p2026_12 VALUES (38, 'demo', 'signage', '01a24ec3-d099-7978-a23d-6b55d86023d2', NULL, 'coupon.issued', '{"status": "FORM_APPROVED", "campaign_id": "spring-form", "coupon_code": "SPRING-0002"}', '2026-12-07 04:29:45.533556+00');


--
-- Data for Name: journey_events_p2027_01; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: journey_events_p2027_02; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: loyalty_member_identifiers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_member_identifiers VALUES ('demo', 'ACCOUNT_ID', '83f65fce-6681-4dde-9bd1-f8fa513c2f9c', 1);
INSERT INTO public.loyalty_member_identifiers VALUES ('demo', 'EMAIL', 'ann@example.com', 1);
INSERT INTO public.loyalty_member_identifiers VALUES ('demo', 'LOYALTY_ID', '8091284167927658', 1);
INSERT INTO public.loyalty_member_identifiers VALUES ('demo', 'ACCOUNT_ID', 'f3d1e179-4b21-42fd-9ebd-46f469198749', 2);
INSERT INTO public.loyalty_member_identifiers VALUES ('demo', 'EMAIL', 'ben@example.com', 2);
INSERT INTO public.loyalty_member_identifiers VALUES ('demo', 'LOYALTY_ID', '2489813024253330', 2);


--
-- Data for Name: loyalty_members; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_members VALUES (1, 'demo', '83f65fce-6681-4dde-9bd1-f8fa513c2f9c', '8091284167927658', 1000, '2026-12-07 04:29:44.912479+00');
INSERT INTO public.loyalty_members VALUES (2, 'demo', 'f3d1e179-4b21-42fd-9ebd-46f469198749', '2489813024253330', 1000, '2026-12-07 04:29:45.233697+00');


--
-- Data for Name: loyalty_offers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_offers VALUES ('demo', 'spend50', 5000, 500, '{"en": "Spend {gap} more to earn 500 bonus points", "fr": "Dépensez {gap} de plus pour gagner 500 points bonis"}', 0);


--
-- Data for Name: loyalty_programs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_programs VALUES ('demo', '10', 500, 'USD', 'en-US');


--
-- Data for Name: loyalty_prompts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_prompts VALUES (1, 'demo', '01a24ec3-ceaa-79d7-bea5-9c318500b455', 1, 1, 'spend50', 350, 'Spend $3.50 more to earn 500 bonus points', 'accepted', '2026-12-07 04:29:45.051611+00', '2026-12-07 04:29:45.005659+00');
INSERT INTO public.loyalty_prompts VALUES (2, 'demo', '01a24ec3-cfae-7e09-aaf6-395a5199ab67', 2, 2, 'spend50', 350, 'Spend $3.50 more to earn 500 bonus points', 'accepted', '2026-12-07 04:29:45.336384+00', '2026-12-07 04:29:45.319996+00');


--
-- Data for Name: loyalty_sessions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_sessions VALUES (1, 'demo', 'till-1', 1, 'STORE', 'en-US', NULL, 'finalized', '2026-12-07 04:29:44.955617+00', '2026-12-07 04:29:45.121789+00');
INSERT INTO public.loyalty_sessions VALUES (2, 'demo', 'till-2', 2, 'STORE', 'en-US', NULL, 'finalized', '2026-12-07 04:29:45.235427+00', '2026-12-07 04:29:45.356364+00');


--
-- Data for Name: loyalty_transactions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_transactions VALUES (1, 'demo', 'f2f9a715-2990-4b18-8aaa-47de66fcfcd8', 1, 1, 'till-1-f1', 5000, 'USD', 500, 500, '2026-11-23 10:15:00+00', '{"transactionId":"f2f9a715-2990-4b18-8aaa-47de66fcfcd8","correlationId":"till-1","callId":"till-1-f1","action":"PURCHASE","channel":"STORE","transactionDate":"2026-11-23T10:15:00Z","loyaltyId":"8091284167927658","accountId":"83f65fce-6681-4dde-9bd1-f8fa513c2f9c","basket":{"amount":"50.00","currency":"USD"},"tender":null,"earned":{"basePoints":500,"bonusPoints":500,"totalPoints":1000},"offerRewards":[{"offerId":"spend50","type":"POINTS","threshold":"50.00","points":500}],"redeemed":[],"pointsBalance":1000}', '2026-12-07 04:29:45.136736+00');
INSERT INTO public.loyalty_transactions VALUES (2, 'demo', '3017ab2e-47f5-412b-99d8-51d279501558', 2, 2, 'till-2-f1', 5000, 'USD', 500, 500, '2026-11-23 10:15:00+00', '{"transactionId":"3017ab2e-47f5-412b-99d8-51d279501558","correlationId":"till-2","callId":"till-2-f1","action":"PURCHASE","channel":"STORE","transactionDate":"2026-11-23T10:15:00Z","loyaltyId":"2489813024253330","accountId":"f3d1e179-4b21-42fd-9ebd-46f469198749","basket":{"amount":"50.00","currency":"USD"},"tender":null,"earned":{"basePoints":500,"bonusPoints":500,"totalPoints":1000},"offerRewards":[{"offerId":"spend50","type":"POINTS","threshold":"50.00","points":500}],"redeemed":[],"pointsBalance":1000}', '2026-12-07 04:29:45.360037+00');


--
-- Data for Name: loyalty_trials; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.loyalty_trials VALUES (1, 'demo', 1, 'till-1-t1', 4650, '{"correlationId":"till-1","callId":"till-1-t1","action":"PURCHASE","channel":"STORE","transactionDate":"2026-11-23T10:15:00Z","locale":"en-US","loyaltyId":"8091284167927658","basket":{"amount":"46.50","currency":"USD","lineItemCount":0},"estimate":{"basePoints":465,"bonusPoints":0,"totalPoints":465},"offers":[{"offerId":"spend50","threshold":"50.00","bonusPoints":500,"met":false,"gap":"3.50"}],"nearMiss":[{"promptMessageID":"01a24ec3-ceaa-79d7-bea5-9c318500b455","offerId":"spend50","gap":"3.50","bonusPoints":500,"promptMessage":"Spend $3.50 more to earn 500 bonus points"}],"gap":"3.50","promptMessageID":"01a24ec3-ceaa-79d7-bea5-9c318500b455","promptMessage":"Spend $3.50 more to earn 500 bonus points"}', '2026-12-07 04:29:45.005659+00');
INSERT INTO public.loyalty_trials VALUES (2, 'demo', 2, 'till-2-t1', 4650, '{"correlationId":"till-2","callId":"till-2-t1","action":"PURCHASE","channel":"STORE","transactionDate":"2026-11-23T10:15:00Z","locale":"en-US","loyaltyId":"2489813024253330","basket":{"amount":"46.50","currency":"USD","lineItemCount":0},"estimate":{"basePoints":465,"bonusPoints":0,"totalPoints":465},"offers":[{"offerId":"spend50","threshold":"50.00","bonusPoints":500,"met":false,"gap":"3.50"}],"nearMiss":[{"promptMessageID":"01a24ec3-cfae-7e09-aaf6-395a5199ab67","offerId":"spend50","gap":"3.50","bonusPoints":500,"promptMessage":"Spend $3.50 more to earn 500 bonus points"}],"gap":"3.50","promptMessageID":"01a24ec3-cfae-7e09-aaf6-395a5199ab67","promptMessage":"Spend $3.50 more to earn 500 bonus points"}', '2026-12-07 04:29:45.319996+00');


--
-- Data for Name: outbox; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.outbox VALUES (1, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "click.created", "X-Clicktrail-Delivery": "msg_01a24ec3-ca87-7703-9262-f3896845fae9"}', '{"id":"msg_01a24ec3-ca87-7703-9262-f3896845fae9","app_id":"demo","family":"surveys","type":"click.created","journey_id":"26f422b9-2163-4592-be80-1d05c30e881f","user_id":"alice","payload":{"survey_id":"srv-auto","click_type":"survey","question_mode":"first","country":"US","required_questions":4},"created_at":"2026-12-07T04:29:43.937077+00:00"}', 'pending', 0, '2026-12-07 04:29:43.937077+00', NULL, '2026-12-07 04:29:43.937077+00', NULL, 1);
INSERT INTO public.outbox VALUES (2, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "question.answered", "X-Clicktrail-Delivery": "msg_01a24ec3-caad-710d-8a50-2301abf099b3"}', '{"id":"msg_01a24ec3-caad-710d-8a50-2301abf099b3","app_id":"demo","family":"surveys","type":"question.answered","journey_id":"26f422b9-2163-4592-be80-1d05c30e881f","user_id":"alice","payload":{"survey_id":"srv-auto","question_id":"q-birthdate","position":0,"qualifies":true},"created_at":"2026-12-07T04:29:43.980130+00:00"}', 'pending', 0, '2026-12-07 04:29:43.98013+00', NULL, '2026-12-07 04:29:43.98013+00', NULL, 1);
INSERT INTO public.outbox VALUES (3, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "question.answered", "X-Clicktrail-Delivery": "msg_01a24ec3-cac0-796f-a5f6-325bc2314c5e"}', '{"id":"msg_01a24ec3-cac0-796f-a5f6-325bc2314c5e","app_id":"demo","family":"surveys","type":"question.answered","journey_id":"26f422b9-2163-4592-be80-1d05c30e881f","user_id":"alice","payload":{"survey_id":"srv-auto","question_id":"q-color","position":1,"qualifies":true,"answers":["1"]},"created_at":"2026-12-07T04:29:43.999547+00:00"}', 'pending', 0, '2026-12-07 04:29:43.999547+00', NULL, '2026-12-07 04:29:43.999547+00', NULL, 1);
INSERT INTO public.outbox VALUES (4, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "question.skipped", "X-Clicktrail-Delivery": "msg_01a24ec3-cadd-76ff-bb2e-42e01a4404df"}', '{"id":"msg_01a24ec3-cadd-76ff-bb2e-42e01a4404df","app_id":"demo","family":"surveys","type":"question.skipped","journey_id":"26f422b9-2163-4592-be80-1d05c30e881f","user_id":"alice","payload":{"survey_id":"srv-auto","question_id":"q-zip","position":2},"created_at":"2026-12-07T04:29:44.027561+00:00"}', 'pending', 0, '2026-12-07 04:29:44.027561+00', NULL, '2026-12-07 04:29:44.027561+00', NULL, 1);
INSERT INTO public.outbox VALUES (5, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "question.answered", "X-Clicktrail-Delivery": "msg_01a24ec3-caf4-75f9-9860-917a49f3091d"}', '{"id":"msg_01a24ec3-caf4-75f9-9860-917a49f3091d","app_id":"demo","family":"surveys","type":"question.answered","journey_id":"26f422b9-2163-4592-be80-1d05c30e881f","user_id":"alice","payload":{"survey_id":"srv-auto","question_id":"q-cars","position":3,"qualifies":true},"created_at":"2026-12-07T04:29:44.051576+00:00"}', 'pending', 0, '2026-12-07 04:29:44.051576+00', NULL, '2026-12-07 04:29:44.051576+00', NULL, 1);
INSERT INTO public.outbox VALUES (6, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "click.qualified", "X-Clicktrail-Delivery": "msg_01a24ec3-caf5-7e24-a5bc-51678a5c041b"}', '{"id":"msg_01a24ec3-caf5-7e24-a5bc-51678a5c041b","app_id":"demo","family":"surveys","type":"click.qualified","journey_id":"26f422b9-2163-4592-be80-1d05c30e881f","user_id":"alice","payload":{"survey_id":"srv-auto","country":"US","cpi":"1.2"},"created_at":"2026-12-07T04:29:44.053104+00:00"}', 'pending', 0, '2026-12-07 04:29:44.053104+00', NULL, '2026-12-07 04:29:44.053104+00', NULL, 1);
INSERT INTO public.outbox VALUES (7, 'demo', 'surveys.callback', 'GET', 'http://127.0.0.1:9000/callback?uid=alice&val=120&raw=1.2&tx=990cf6993181c78bd9531dcd9bc10113&type=COMPLETE&hash=ae97656aec660dde73da70c2e9ed4cf287b984e7', '{}', NULL, 'pending', 0, '2026-12-07 04:29:44.109013+00', NULL, '2026-12-07 04:29:44.109013+00', NULL, NULL);
INSERT INTO public.outbox VALUES (8, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "survey.completed", "X-Clicktrail-Delivery": "msg_01a24ec3-cb5d-7dae-911d-ff62310e2062"}', '{"id":"msg_01a24ec3-cb5d-7dae-911d-ff62310e2062","app_id":"demo","family":"surveys","type":"survey.completed","journey_id":"26f422b9-2163-4592-be80-1d05c30e881f","user_id":"alice","payload":{"survey_id":"srv-auto","country":"US","cpi":"1.2","tx":"990cf6993181c78bd9531dcd9bc10113"},"created_at":"2026-12-07T04:29:44.122337+00:00"}', 'pending', 0, '2026-12-07 04:29:44.122337+00', NULL, '2026-12-07 04:29:44.122337+00', NULL, 1);
INSERT INTO public.outbox VALUES (9, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "click.created", "X-Clicktrail-Delivery": "msg_01a24ec3-cbae-7e64-8cca-654909c5f8de"}', '{"id":"msg_01a24ec3-cbae-7e64-8cca-654909c5f8de","app_id":"demo","family":"surveys","type":"click.created","journey_id":"0b00c035-03e4-42ce-8cd9-b18ba88bef48","user_id":"bob","payload":{"survey_id":"srv-auto","click_type":"survey","question_mode":"first","country":"US","required_questions":4},"created_at":"2026-12-07T04:29:44.235609+00:00"}', 'pending', 0, '2026-12-07 04:29:44.235609+00', NULL, '2026-12-07 04:29:44.235609+00', NULL, 1);
INSERT INTO public.outbox VALUES (10, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "question.answered", "X-Clicktrail-Delivery": "msg_01a24ec3-cbc6-7008-9916-1503237871ac"}', '{"id":"msg_01a24ec3-cbc6-7008-9916-1503237871ac","app_id":"demo","family":"surveys","type":"question.answered","journey_id":"0b00c035-03e4-42ce-8cd9-b18ba88bef48","user_id":"bob","payload":{"survey_id":"srv-auto","question_id":"q-birthdate","position":0,"qualifies":true},"created_at":"2026-12-07T04:29:44.258747+00:00"}', 'pending', 0, '2026-12-07 04:29:44.258747+00', NULL, '2026-12-07 04:29:44.258747+00', NULL, 1);
INSERT INTO public.outbox VALUES (11, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "question.answered", "X-Clicktrail-Delivery": "msg_01a24ec3-cbe9-74bb-b624-38242bdfc574"}', '{"id":"msg_01a24ec3-cbe9-74bb-b624-38242bdfc574","app_id":"demo","family":"surveys","type":"question.answered","journey_id":"0b00c035-03e4-42ce-8cd9-b18ba88bef48","user_id":"bob","payload":{"survey_id":"srv-auto","question_id":"q-color","position":1,"qualifies":true,"answers":["1"]},"created_at":"2026-12-07T04:29:44.295470+00:00"}', 'pending', 0, '2026-12-07 04:29:44.29547+00', NULL, '2026-12-07 04:29:44.29547+00', NULL, 1);
INSERT INTO public.outbox VALUES (12, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "question.skipped", "X-Clicktrail-Delivery": "msg_01a24ec3-cbff-720e-96f5-a14ecb4a1340"}', '{"id":"msg_01a24ec3-cbff-720e-96f5-a14ecb4a1340","app_id":"demo","family":"surveys","type":"question.skipped","journey_id":"0b00c035-03e4-42ce-8cd9-b18ba88bef48","user_id":"bob","payload":{"survey_id":"srv-auto","question_id":"q-zip","position":2},"created_at":"2026-12-07T04:29:44.316655+00:00"}', 'pending', 0, '2026-12-07 04:29:44.316655+00', NULL, '2026-12-07 04:29:44.316655+00', NULL, 1);
INSERT INTO public.outbox VALUES (13, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "question.answered", "X-Clicktrail-Delivery": "msg_01a24ec3-cc1f-7827-8e77-936cce5e5d6a"}', '{"id":"msg_01a24ec3-cc1f-7827-8e77-936cce5e5d6a","app_id":"demo","family":"surveys","type":"question.answered","journey_id":"0b00c035-03e4-42ce-8cd9-b18ba88bef48","user_id":"bob","payload":{"survey_id":"srv-auto","question_id":"q-cars","position":3,"qualifies":true},"created_at":"2026-12-07T04:29:44.348936+00:00"}', 'pending', 0, '2026-12-07 04:29:44.348936+00', NULL, '2026-12-07 04:29:44.348936+00', NULL, 1);
INSERT INTO public.outbox VALUES (14, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "click.qualified", "X-Clicktrail-Delivery": "msg_01a24ec3-cc1f-75e7-8f25-97eddd396d99"}', '{"id":"msg_01a24ec3-cc1f-75e7-8f25-97eddd396d99","app_id":"demo","family":"surveys","type":"click.qualified","journey_id":"0b00c035-03e4-42ce-8cd9-b18ba88bef48","user_id":"bob","payload":{"survey_id":"srv-auto","country":"US","cpi":"1.2"},"created_at":"2026-12-07T04:29:44.351800+00:00"}', 'pending', 0, '2026-12-07 04:29:44.3518+00', NULL, '2026-12-07 04:29:44.3518+00', NULL, 1);
INSERT INTO public.outbox VALUES (15, 'demo', 'surveys.callback', 'GET', 'http://127.0.0.1:9000/callback?uid=bob&val=120&raw=1.2&tx=95bed728b67fe2764d08dd87490dc07c&type=COMPLETE&hash=2ab83804e468949cc39f3400c869803c019c3790', '{}', NULL, 'pending', 0, '2026-12-07 04:29:44.399959+00', NULL, '2026-12-07 04:29:44.399959+00', NULL, NULL);
INSERT INTO public.outbox VALUES (16, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "survey.completed", "X-Clicktrail-Delivery": "msg_01a24ec3-cc5d-79bc-850b-b7a1329f722b"}', '{"id":"msg_01a24ec3-cc5d-79bc-850b-b7a1329f722b","app_id":"demo","family":"surveys","type":"survey.completed","journey_id":"0b00c035-03e4-42ce-8cd9-b18ba88bef48","user_id":"bob","payload":{"survey_id":"srv-auto","country":"US","cpi":"1.2","tx":"95bed728b67fe2764d08dd87490dc07c"},"created_at":"2026-12-07T04:29:44.407845+00:00"}', 'pending', 0, '2026-12-07 04:29:44.407845+00', NULL, '2026-12-07 04:29:44.407845+00', NULL, 1);
INSERT INTO public.outbox VALUES (18, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "click.registered", "X-Clicktrail-Delivery": "msg_01a24ec3-cd67-77d9-a2f9-1151a93f849b"}', '{"id":"msg_01a24ec3-cd67-77d9-a2f9-1151a93f849b","app_id":"demo","family":"partners","type":"click.registered","journey_id":"6b1636383de8451e5bbdba8b","user_id":"7f205735f5cd1bb331c3971a","payload":{"click_id":"6b1636383de8451e5bbdba8b","link_id":"6006dda272f002519c3eb505","country_code":"EE","profile_country_code":"EE","enabled":true,"banner_id":null,"utm_source":"youtube.com","utm_medium":null,"utm_campaign":"sport","referrer_host":"twitter.com","browser":"Apple Mail","os":"Mac OS X","device":"Mac","verdict":"ok"},"created_at":"2026-12-07T04:29:44.556000+00:00"}', 'pending', 0, '2026-12-07 04:29:44.556+00', NULL, '2026-12-07 04:29:44.556+00', NULL, 1);
INSERT INTO public.outbox VALUES (19, 'demo', 'partners.postback', 'GET', 'http://127.0.0.1:9000/postback?click=6b1636383de8451e5bbdba8b&profile=7f205735f5cd1bb331c3971a&source=youtube.com', '{}', NULL, 'pending', 0, '2026-12-07 04:29:44.683777+00', NULL, '2026-12-07 04:29:44.683777+00', NULL, NULL);
INSERT INTO public.outbox VALUES (21, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "click.registered", "X-Clicktrail-Delivery": "msg_01a24ec3-cde7-781a-aebb-c3a32358ccbb"}', '{"id":"msg_01a24ec3-cde7-781a-aebb-c3a32358ccbb","app_id":"demo","family":"partners","type":"click.registered","journey_id":"6b1636383de8451e5bbdba8c","user_id":"7a6216d92bb1c5908d8459f8","payload":{"click_id":"6b1636383de8451e5bbdba8c","link_id":"6006dda272f002519c3eb505","country_code":"GB","profile_country_code":"EE","enabled":true,"banner_id":null,"utm_source":"youtube.com","utm_medium":null,"utm_campaign":"sport","referrer_host":"twitter.com","browser":"Apple Mail","os":"Mac OS X","device":"Mac","verdict":"ok"},"created_at":"2026-12-07T04:29:44.763000+00:00"}', 'pending', 0, '2026-12-07 04:29:44.763+00', NULL, '2026-12-07 04:29:44.763+00', NULL, 1);
INSERT INTO public.outbox VALUES (22, 'demo', 'partners.postback', 'GET', 'http://127.0.0.1:9000/postback?click=6b1636383de8451e5bbdba8c&profile=7a6216d92bb1c5908d8459f8&source=youtube.com', '{}', NULL, 'pending', 0, '2026-12-07 04:29:44.813065+00', NULL, '2026-12-07 04:29:44.813065+00', NULL, NULL);
INSERT INTO public.outbox VALUES (23, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "member.enrolled", "X-Clicktrail-Delivery": "msg_01a24ec3-ce93-705e-99ed-d127c380ed12"}', '{"id":"msg_01a24ec3-ce93-705e-99ed-d127c380ed12","app_id":"demo","family":"loyalty","type":"member.enrolled","journey_id":"till-1","user_id":"8091284167927658","payload":{"accountId":"83f65fce-6681-4dde-9bd1-f8fa513c2f9c","identifierType":"EMAIL"},"created_at":"2026-12-07T04:29:44.967619+00:00"}', 'pending', 0, '2026-12-07 04:29:44.967619+00', NULL, '2026-12-07 04:29:44.967619+00', NULL, 1);
INSERT INTO public.outbox VALUES (24, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "session.started", "X-Clicktrail-Delivery": "msg_01a24ec3-ce96-7951-83f7-06f145d7e20c"}', '{"id":"msg_01a24ec3-ce96-7951-83f7-06f145d7e20c","app_id":"demo","family":"loyalty","type":"session.started","journey_id":"till-1","user_id":"8091284167927658","payload":{"anonymous":false,"channel":"STORE","identifierType":"EMAIL","enrolled":true},"created_at":"2026-12-07T04:29:44.980434+00:00"}', 'pending', 0, '2026-12-07 04:29:44.980434+00', NULL, '2026-12-07 04:29:44.980434+00', NULL, 1);
INSERT INTO public.outbox VALUES (27, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "prompt.answered", "X-Clicktrail-Delivery": "msg_01a24ec3-cefb-7a88-a3a4-08a22a4b1323"}', '{"id":"msg_01a24ec3-cefb-7a88-a3a4-08a22a4b1323","app_id":"demo","family":"loyalty","type":"prompt.answered","journey_id":"till-1","user_id":"8091284167927658","payload":{"promptMessageId":"01a24ec3-ceaa-79d7-bea5-9c318500b455","offerId":"spend50","response":"accepted","previous":null,"gap":"3.50","channel":"STORE"},"created_at":"2026-12-07T04:29:45.055122+00:00"}', 'pending', 0, '2026-12-07 04:29:45.055122+00', NULL, '2026-12-07 04:29:45.055122+00', NULL, 1);
INSERT INTO public.outbox VALUES (28, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "transaction.finalized", "X-Clicktrail-Delivery": "msg_01a24ec3-cf43-71fe-b6a9-e61db012e04a"}', '{"id":"msg_01a24ec3-cf43-71fe-b6a9-e61db012e04a","app_id":"demo","family":"loyalty","type":"transaction.finalized","journey_id":"till-1","user_id":"8091284167927658","payload":{"transactionId":"f2f9a715-2990-4b18-8aaa-47de66fcfcd8","callId":"till-1-f1","amount":"50.00","currency":"USD","basePoints":500,"bonusPoints":500,"offers":["spend50"],"anonymous":false,"confirmationMode":null,"channel":"STORE"},"created_at":"2026-12-07T04:29:45.138880+00:00"}', 'pending', 0, '2026-12-07 04:29:45.13888+00', NULL, '2026-12-07 04:29:45.13888+00', NULL, 1);
INSERT INTO public.outbox VALUES (29, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "member.enrolled", "X-Clicktrail-Delivery": "msg_01a24ec3-cf9f-755b-85a3-f566d1b31a18"}', '{"id":"msg_01a24ec3-cf9f-755b-85a3-f566d1b31a18","app_id":"demo","family":"loyalty","type":"member.enrolled","journey_id":"till-2","user_id":"2489813024253330","payload":{"accountId":"f3d1e179-4b21-42fd-9ebd-46f469198749","identifierType":"EMAIL"},"created_at":"2026-12-07T04:29:45.237039+00:00"}', 'pending', 0, '2026-12-07 04:29:45.237039+00', NULL, '2026-12-07 04:29:45.237039+00', NULL, 1);
INSERT INTO public.outbox VALUES (30, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "session.started", "X-Clicktrail-Delivery": "msg_01a24ec3-cfa2-7f4f-a76e-c71d8d9a8ecb"}', '{"id":"msg_01a24ec3-cfa2-7f4f-a76e-c71d8d9a8ecb","app_id":"demo","family":"loyalty","type":"session.started","journey_id":"till-2","user_id":"2489813024253330","payload":{"anonymous":false,"channel":"STORE","identifierType":"EMAIL","enrolled":true},"created_at":"2026-12-07T04:29:45.248693+00:00"}', 'pending', 0, '2026-12-07 04:29:45.248693+00', NULL, '2026-12-07 04:29:45.248693+00', NULL, 1);
INSERT INTO public.outbox VALUES (33, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "prompt.answered", "X-Clicktrail-Delivery": "msg_01a24ec3-cffa-7f1a-9242-b64f71e7826f"}', '{"id":"msg_01a24ec3-cffa-7f1a-9242-b64f71e7826f","app_id":"demo","family":"loyalty","type":"prompt.answered","journey_id":"till-2","user_id":"2489813024253330","payload":{"promptMessageId":"01a24ec3-cfae-7e09-aaf6-395a5199ab67","offerId":"spend50","response":"accepted","previous":null,"gap":"3.50","channel":"STORE"},"created_at":"2026-12-07T04:29:45.336858+00:00"}', 'pending', 0, '2026-12-07 04:29:45.336858+00', NULL, '2026-12-07 04:29:45.336858+00', NULL, 1);
INSERT INTO public.outbox VALUES (34, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "transaction.finalized", "X-Clicktrail-Delivery": "msg_01a24ec3-d013-779e-93fb-63e1669e09b7"}', '{"id":"msg_01a24ec3-d013-779e-93fb-63e1669e09b7","app_id":"demo","family":"loyalty","type":"transaction.finalized","journey_id":"till-2","user_id":"2489813024253330","payload":{"transactionId":"3017ab2e-47f5-412b-99d8-51d279501558","callId":"till-2-f1","amount":"50.00","currency":"USD","basePoints":500,"bonusPoints":500,"offers":["spend50"],"anonymous":false,"confirmationMode":null,"channel":"STORE"},"created_at":"2026-12-07T04:29:45.361297+00:00"}', 'pending', 0, '2026-12-07 04:29:45.361297+00', NULL, '2026-12-07 04:29:45.361297+00', NULL, 1);
INSERT INTO public.outbox VALUES (38, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "coupon.issued", "X-Clicktrail-Delivery": "msg_01a24ec3-d08f-758f-b425-8c70f7a7ab08"}', '{"id":"msg_01a24ec3-d08f-758f-b425-8c70f7a7ab08","app_id":"demo","family":"signage","type":"coupon.issued","journey_id":"01a24ec3-d020-7a9e-a921-e9a6a4c54179","user_id":null,"payload":{"campaign_id":"spring-form","coupon_code":"SPRING-0001","status":"FORM_APPROVED"},"created_at":"2026-12-07T04:29:45.451953+00:00"}', 'pending', 0, '2026-12-07 04:29:45.451953+00', NULL, '2026-12-07 04:29:45.451953+00', NULL, 1);
INSERT INTO public.outbox VALUES (17, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "click.created", "X-Clicktrail-Delivery": "msg_01a24ec3-ccc6-745a-bf8c-39406f62b577"}', '{"id":"msg_01a24ec3-ccc6-745a-bf8c-39406f62b577","app_id":"demo","family":"partners","type":"click.created","journey_id":"6b1636383de8451e5bbdba8b","user_id":null,"payload":{"click_id":"6b1636383de8451e5bbdba8b","link_id":"6006dda272f002519c3eb505","banner_id":null,"country_code":"EE","verdict":"ok","reason":null,"unique":true,"bot":false,"browser":"Apple Mail","os":"Mac OS X","device":"Mac","utm_source":"youtube.com","utm_medium":null,"utm_campaign":"sport","referrer_host":"twitter.com"},"created_at":"2026-12-07T04:29:44.493000+00:00"}', 'pending', 0, '2026-12-07 04:29:44.493+00', NULL, '2026-12-07 04:29:44.493+00', NULL, 1);
INSERT INTO public.outbox VALUES (20, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "click.created", "X-Clicktrail-Delivery": "msg_01a24ec3-cda7-7f73-9747-6670aa4be12a"}', '{"id":"msg_01a24ec3-cda7-7f73-9747-6670aa4be12a","app_id":"demo","family":"partners","type":"click.created","journey_id":"6b1636383de8451e5bbdba8c","user_id":null,"payload":{"click_id":"6b1636383de8451e5bbdba8c","link_id":"6006dda272f002519c3eb505","banner_id":null,"country_code":"GB","verdict":"ok","reason":null,"unique":true,"bot":false,"browser":"Apple Mail","os":"Mac OS X","device":"Mac","utm_source":"youtube.com","utm_medium":null,"utm_campaign":"sport","referrer_host":"twitter.com"},"created_at":"2026-12-07T04:29:44.735000+00:00"}', 'pending', 0, '2026-12-07 04:29:44.735+00', NULL, '2026-12-07 04:29:44.735+00', NULL, 1);
INSERT INTO public.outbox VALUES (25, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "trial.recorded", "X-Clicktrail-Delivery": "msg_01a24ec3-ceb0-76f2-a92a-e1eb3a69fa08"}', '{"id":"msg_01a24ec3-ceb0-76f2-a92a-e1eb3a69fa08","app_id":"demo","family":"loyalty","type":"trial.recorded","journey_id":"till-1","user_id":"8091284167927658","payload":{"callId":"till-1-t1","amount":"46.50","currency":"USD","estimatedPoints":465,"prompts":1,"channel":"STORE"},"created_at":"2026-12-07T04:29:45.005659+00:00"}', 'pending', 0, '2026-12-07 04:29:45.005659+00', NULL, '2026-12-07 04:29:45.005659+00', NULL, 1);
INSERT INTO public.outbox VALUES (26, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "prompt.shown", "X-Clicktrail-Delivery": "msg_01a24ec3-ceb0-748c-8619-bbe534834cc3"}', '{"id":"msg_01a24ec3-ceb0-748c-8619-bbe534834cc3","app_id":"demo","family":"loyalty","type":"prompt.shown","journey_id":"till-1","user_id":"8091284167927658","payload":{"promptMessageId":"01a24ec3-ceaa-79d7-bea5-9c318500b455","offerId":"spend50","gap":"3.50","channel":"STORE"},"created_at":"2026-12-07T04:29:45.005659+00:00"}', 'pending', 0, '2026-12-07 04:29:45.005659+00', NULL, '2026-12-07 04:29:45.005659+00', NULL, 1);
INSERT INTO public.outbox VALUES (31, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "trial.recorded", "X-Clicktrail-Delivery": "msg_01a24ec3-cfe9-7df7-aec6-e694c1ea86ad"}', '{"id":"msg_01a24ec3-cfe9-7df7-aec6-e694c1ea86ad","app_id":"demo","family":"loyalty","type":"trial.recorded","journey_id":"till-2","user_id":"2489813024253330","payload":{"callId":"till-2-t1","amount":"46.50","currency":"USD","estimatedPoints":465,"prompts":1,"channel":"STORE"},"created_at":"2026-12-07T04:29:45.319996+00:00"}', 'pending', 0, '2026-12-07 04:29:45.319996+00', NULL, '2026-12-07 04:29:45.319996+00', NULL, 1);
INSERT INTO public.outbox VALUES (32, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "prompt.shown", "X-Clicktrail-Delivery": "msg_01a24ec3-cfe9-748c-be1b-9331d5f054c2"}', '{"id":"msg_01a24ec3-cfe9-748c-be1b-9331d5f054c2","app_id":"demo","family":"loyalty","type":"prompt.shown","journey_id":"till-2","user_id":"2489813024253330","payload":{"promptMessageId":"01a24ec3-cfae-7e09-aaf6-395a5199ab67","offerId":"spend50","gap":"3.50","channel":"STORE"},"created_at":"2026-12-07T04:29:45.319996+00:00"}', 'pending', 0, '2026-12-07 04:29:45.319996+00', NULL, '2026-12-07 04:29:45.319996+00', NULL, 1);
INSERT INTO public.outbox VALUES (35, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "scan.recorded", "X-Clicktrail-Delivery": "msg_01a24ec3-d022-746c-8f39-758aee60ea73"}', '{"id":"msg_01a24ec3-d022-746c-8f39-758aee60ea73","app_id":"demo","family":"signage","type":"scan.recorded","journey_id":"01a24ec3-d020-7a9e-a921-e9a6a4c54179","user_id":null,"payload":{"campaign_id":"spring-form","ip":"127.0.0.1","country":null,"browser":"Mobile Safari UI/WKWebView","os":"iOS","device":"iPhone","is_bot":false,"is_link_preview":false},"created_at":"2026-12-07T04:29:45.376173+00:00"}', 'pending', 0, '2026-12-07 04:29:45.376173+00', NULL, '2026-12-07 04:29:45.376173+00', NULL, 1);
INSERT INTO public.outbox VALUES (36, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "status.changed", "X-Clicktrail-Delivery": "msg_01a24ec3-d053-77fa-ab67-1c14dea8e4c1"}', '{"id":"msg_01a24ec3-d053-77fa-ab67-1c14dea8e4c1","app_id":"demo","family":"signage","type":"status.changed","journey_id":"01a24ec3-d020-7a9e-a921-e9a6a4c54179","user_id":null,"payload":{"campaign_id":"spring-form","from":null,"to":"FORM_SUBMITTED","skipped":[]},"created_at":"2026-12-07T04:29:45.407571+00:00"}', 'pending', 0, '2026-12-07 04:29:45.407571+00', NULL, '2026-12-07 04:29:45.407571+00', NULL, 1);
INSERT INTO public.outbox VALUES (37, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "status.changed", "X-Clicktrail-Delivery": "msg_01a24ec3-d067-7aae-b59d-d56b4ad5a2c9"}', '{"id":"msg_01a24ec3-d067-7aae-b59d-d56b4ad5a2c9","app_id":"demo","family":"signage","type":"status.changed","journey_id":"01a24ec3-d020-7a9e-a921-e9a6a4c54179","user_id":null,"payload":{"campaign_id":"spring-form","from":"FORM_SUBMITTED","to":"FORM_APPROVED","skipped":["FORM_REVIEWING"]},"created_at":"2026-12-07T04:29:45.445457+00:00"}', 'pending', 0, '2026-12-07 04:29:45.445457+00', NULL, '2026-12-07 04:29:45.445457+00', NULL, 1);
INSERT INTO public.outbox VALUES (39, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "scan.recorded", "X-Clicktrail-Delivery": "msg_01a24ec3-d09a-7a09-aef7-6a49bbfb2d3d"}', '{"id":"msg_01a24ec3-d09a-7a09-aef7-6a49bbfb2d3d","app_id":"demo","family":"signage","type":"scan.recorded","journey_id":"01a24ec3-d099-7978-a23d-6b55d86023d2","user_id":null,"payload":{"campaign_id":"spring-form","ip":"127.0.0.1","country":null,"browser":"Mobile Safari UI/WKWebView","os":"iOS","device":"iPhone","is_bot":false,"is_link_preview":false},"created_at":"2026-12-07T04:29:45.497182+00:00"}', 'pending', 0, '2026-12-07 04:29:45.497182+00', NULL, '2026-12-07 04:29:45.497182+00', NULL, 1);
INSERT INTO public.outbox VALUES (40, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "status.changed", "X-Clicktrail-Delivery": "msg_01a24ec3-d0a7-7989-9580-9f4b5095a250"}', '{"id":"msg_01a24ec3-d0a7-7989-9580-9f4b5095a250","app_id":"demo","family":"signage","type":"status.changed","journey_id":"01a24ec3-d099-7978-a23d-6b55d86023d2","user_id":null,"payload":{"campaign_id":"spring-form","from":null,"to":"FORM_SUBMITTED","skipped":[]},"created_at":"2026-12-07T04:29:45.509561+00:00"}', 'pending', 0, '2026-12-07 04:29:45.509561+00', NULL, '2026-12-07 04:29:45.509561+00', NULL, 1);
INSERT INTO public.outbox VALUES (41, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "status.changed", "X-Clicktrail-Delivery": "msg_01a24ec3-d0b3-7b8d-ba7d-ddf2fd4000f9"}', '{"id":"msg_01a24ec3-d0b3-7b8d-ba7d-ddf2fd4000f9","app_id":"demo","family":"signage","type":"status.changed","journey_id":"01a24ec3-d099-7978-a23d-6b55d86023d2","user_id":null,"payload":{"campaign_id":"spring-form","from":"FORM_SUBMITTED","to":"FORM_APPROVED","skipped":["FORM_REVIEWING"]},"created_at":"2026-12-07T04:29:45.521398+00:00"}', 'pending', 0, '2026-12-07 04:29:45.521398+00', NULL, '2026-12-07 04:29:45.521398+00', NULL, 1);
INSERT INTO public.outbox VALUES (42, 'demo', 'webhook', 'POST', 'http://127.0.0.1:9000/hook', '{"X-Clicktrail-Event": "coupon.issued", "X-Clicktrail-Delivery": "msg_01a24ec3-d0cf-724a-9a91-7d9333a59f89"}', '{"id":"msg_01a24ec3-d0cf-724a-9a91-7d9333a59f89","app_id":"demo","family":"signage","type":"coupon.issued","journey_id":"01a24ec3-d099-7978-a23d-6b55d86023d2","user_id":null,"payload":{"campaign_id":"spring-form","coupon_code":"SPRING-0002","status":"FORM_APPROVED"},"created_at":"2026-12-07T04:29:45.533556+00:00"}', 'pending', 0, '2026-12-07 04:29:45.533556+00', NULL, '2026-12-07 04:29:45.533556+00', NULL, 1);


--
-- Data for Name: partner_banners; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.partner_banners VALUES ('demo', '6006dda272f002519c3eb506', '6006dda272f002519c3eb505', 'Tight Spreads', 'https://cdn.example/b.png');


--
-- Data for Name: partner_click_uuids; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: partner_clicks_default; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: partner_clicks_p2026_12; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.partner_clicks_p2026_12 VALUES ('6b1636383de8451e5bbdba8b', 'demo', '2026-11-01 00:00:00+00', 'https://twitter.com', '185.155.96.184', 'https://my.stage.org/register?referral=1&utm_source=youtube.com&utm_campaign=sport', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15', 'e6203b8fe5176b4c0699b832589305af', 'en', NULL, 'sport', NULL, NULL, 'youtube.com', NULL, '7f205735f5cd1bb331c3971a', '6006dda272f002519c3eb505', NULL, NULL, NULL, 59, 26, NULL, 'EE', 'Estonia', 'Apple Mail', '605.1.15', 'Mac OS X', '10.15.7', 'Mac', false, true, 'ok', NULL, '2026-12-07 04:29:44.556+00', '2026-12-07 04:29:44.493+00', '2026-12-07 04:29:44.556+00', NULL);
INSERT INTO public.partner_clicks_p2026_12 VALUES ('6b1636383de8451e5bbdba8c', 'demo', '2026-11-01 00:00:00+00', 'https://twitter.com', '81.2.69.160', 'https://my.stage.org/register?referral=1&utm_source=youtube.com&utm_campaign=sport', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15', 'e6203b8fe5176b4c0699b832589305af', 'en', NULL, 'sport', NULL, NULL, 'youtube.com', NULL, '7a6216d92bb1c5908d8459f8', '6006dda272f002519c3eb505', NULL, NULL, NULL, 54, -2, NULL, 'GB', 'United Kingdom', 'Apple Mail', '605.1.15', 'Mac OS X', '10.15.7', 'Mac', false, true, 'ok', NULL, '2026-12-07 04:29:44.763+00', '2026-12-07 04:29:44.735+00', '2026-12-07 04:29:44.763+00', NULL);


--
-- Data for Name: partner_clicks_p2027_01; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: partner_clicks_p2027_02; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: partner_contacts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.partner_contacts VALUES (1, 'demo', '7f205735f5cd1bb331c3971a', 0, 'email', '185.155.96.184@example.com', '185.155.96.184@example.com', NULL);
INSERT INTO public.partner_contacts VALUES (2, 'demo', '7f205735f5cd1bb331c3971a', 1, 'phone', '+37255555555', '+37255555555', NULL);
INSERT INTO public.partner_contacts VALUES (3, 'demo', '7a6216d92bb1c5908d8459f8', 0, 'email', '81.2.69.160@example.com', '81.2.69.160@example.com', NULL);
INSERT INTO public.partner_contacts VALUES (4, 'demo', '7a6216d92bb1c5908d8459f8', 1, 'phone', '+37255555555', '+37255555555', NULL);


--
-- Data for Name: partner_links; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.partner_links VALUES ('demo', '6006dda272f002519c3eb505', 'https://my.stage.org/register?referral=1', 'Sign-up page', 'my.stage.org/register?referral=1', 'http://127.0.0.1:9000/postback?click={click_id}&profile={profile_id}&source={utm_source}', '2026-12-07 04:29:43.661827+00', '2026-12-07 04:29:43.661827+00');


--
-- Data for Name: partner_profiles; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.partner_profiles VALUES ('7f205735f5cd1bb331c3971a', 'demo', 'Mary', 'Smith', NULL, 'mary smith', true, NULL, NULL, 'EE', 'Estonia', '2026-12-07 04:29:44.556+00', '2026-12-07 04:29:44.556+00');
INSERT INTO public.partner_profiles VALUES ('7a6216d92bb1c5908d8459f8', 'demo', 'Mary', 'Smith', NULL, 'mary smith', true, NULL, NULL, 'EE', 'Estonia', '2026-12-07 04:29:44.763+00', '2026-12-07 04:29:44.763+00');


--
-- Data for Name: partner_settings; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.partner_settings VALUES ('demo', 1800, '["198.51.100.0/24"]', '[]', 206762094);


--
-- Data for Name: rollup_counts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'browser', 'unique_clicks', '2026-12-07 04:00:00+00', 'Apple Mail', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'country', 'clicks', '2026-12-07 04:00:00+00', 'GB', 1);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'country', 'unique_clicks', '2026-12-07 04:00:00+00', 'GB', 1);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'device', 'clicks', '2026-12-07 04:00:00+00', 'Mac', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', '', 'clicks', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', 'country', 'clicks', '2026-12-07 04:00:00+00', 'US', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', 'survey', 'clicks', '2026-12-07 04:00:00+00', 'srv-auto', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'device', 'unique_clicks', '2026-12-07 04:00:00+00', 'Mac', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', 'question', 'answered', '2026-12-07 04:00:00+00', 'q-birthdate', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'link', 'clicks', '2026-12-07 04:00:00+00', '6006dda272f002519c3eb505', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'link', 'unique_clicks', '2026-12-07 04:00:00+00', '6006dda272f002519c3eb505', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', 'question', 'answered', '2026-12-07 04:00:00+00', 'q-color', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'os', 'clicks', '2026-12-07 04:00:00+00', 'Mac OS X', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', '', 'skipped', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', 'question', 'skipped', '2026-12-07 04:00:00+00', 'q-zip', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', 'survey', 'skipped', '2026-12-07 04:00:00+00', 'srv-auto', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', '', 'answered', '2026-12-07 04:00:00+00', '', 6);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', '', 'qualified', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', 'country', 'qualified', '2026-12-07 04:00:00+00', 'US', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', 'question', 'answered', '2026-12-07 04:00:00+00', 'q-cars', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', 'survey', 'answered', '2026-12-07 04:00:00+00', 'srv-auto', 6);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', 'survey', 'qualified', '2026-12-07 04:00:00+00', 'srv-auto', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', '', 'completed', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', 'country', 'completed', '2026-12-07 04:00:00+00', 'US', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'surveys', 'survey', 'completed', '2026-12-07 04:00:00+00', 'srv-auto', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'country', 'clicks', '2026-12-07 04:00:00+00', 'EE', 1);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'country', 'unique_clicks', '2026-12-07 04:00:00+00', 'EE', 1);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'country', 'registrations', '2026-12-07 04:00:00+00', 'EE', 1);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', '', 'clicks', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', '', 'unique_clicks', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'banner', 'clicks', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'banner', 'unique_clicks', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'browser', 'clicks', '2026-12-07 04:00:00+00', 'Apple Mail', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'os', 'unique_clicks', '2026-12-07 04:00:00+00', 'Mac OS X', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'referrer_host', 'clicks', '2026-12-07 04:00:00+00', 'twitter.com', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'referrer_host', 'unique_clicks', '2026-12-07 04:00:00+00', 'twitter.com', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'utm_campaign', 'clicks', '2026-12-07 04:00:00+00', 'sport', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'utm_campaign', 'unique_clicks', '2026-12-07 04:00:00+00', 'sport', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'utm_medium', 'clicks', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'utm_medium', 'unique_clicks', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'utm_source', 'clicks', '2026-12-07 04:00:00+00', 'youtube.com', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'utm_source', 'unique_clicks', '2026-12-07 04:00:00+00', 'youtube.com', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'verdict', 'clicks', '2026-12-07 04:00:00+00', 'ok', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'verdict', 'unique_clicks', '2026-12-07 04:00:00+00', 'ok', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', '', 'registrations', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'banner', 'registrations', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'browser', 'registrations', '2026-12-07 04:00:00+00', 'Apple Mail', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'country', 'registrations', '2026-12-07 04:00:00+00', 'GB', 1);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'device', 'registrations', '2026-12-07 04:00:00+00', 'Mac', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'link', 'registrations', '2026-12-07 04:00:00+00', '6006dda272f002519c3eb505', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'os', 'registrations', '2026-12-07 04:00:00+00', 'Mac OS X', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'referrer_host', 'registrations', '2026-12-07 04:00:00+00', 'twitter.com', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'utm_campaign', 'registrations', '2026-12-07 04:00:00+00', 'sport', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'utm_medium', 'registrations', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'utm_source', 'registrations', '2026-12-07 04:00:00+00', 'youtube.com', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'partners', 'verdict', 'registrations', '2026-12-07 04:00:00+00', 'ok', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'loyalty', '', 'sessions', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'loyalty', 'channel', 'sessions', '2026-12-07 04:00:00+00', 'STORE', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'loyalty', '', 'prompts_shown', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'loyalty', '', 'trials', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'loyalty', 'channel', 'prompts_shown', '2026-12-07 04:00:00+00', 'STORE', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'loyalty', 'channel', 'trials', '2026-12-07 04:00:00+00', 'STORE', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'loyalty', 'offer', 'prompts_shown', '2026-12-07 04:00:00+00', 'spend50', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'loyalty', '', 'accepted', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'loyalty', 'channel', 'accepted', '2026-12-07 04:00:00+00', 'STORE', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'loyalty', 'offer', 'accepted', '2026-12-07 04:00:00+00', 'spend50', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'loyalty', '', 'bonus_points', '2026-12-07 04:00:00+00', '', 1000);
INSERT INTO public.rollup_counts VALUES ('demo', 'loyalty', 'channel', 'bonus_points', '2026-12-07 04:00:00+00', 'STORE', 1000);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', '', 'scans', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', '', 'sessions', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', 'campaign', 'scans', '2026-12-07 04:00:00+00', 'spring-form', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', 'campaign', 'sessions', '2026-12-07 04:00:00+00', 'spring-form', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', 'country', 'scans', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', 'country', 'sessions', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', '', 'status:FORM_SUBMITTED', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', 'campaign', 'status:FORM_SUBMITTED', '2026-12-07 04:00:00+00', 'spring-form', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', '', 'status:FORM_APPROVED', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', '', 'status:FORM_REVIEWING', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', 'campaign', 'status:FORM_APPROVED', '2026-12-07 04:00:00+00', 'spring-form', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', 'campaign', 'status:FORM_REVIEWING', '2026-12-07 04:00:00+00', 'spring-form', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', '', 'coupons_issued', '2026-12-07 04:00:00+00', '', 2);
INSERT INTO public.rollup_counts VALUES ('demo', 'signage', 'campaign', 'coupons_issued', '2026-12-07 04:00:00+00', 'spring-form', 2);


--
-- Data for Name: signage_campaigns; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.signage_campaigns VALUES ('demo', 'spring-form', 'https://brand.example/form', '["FORM_SUBMITTED", "FORM_REVIEWING", "FORM_APPROVED"]', 'FORM_APPROVED', NULL, '2026-12-07 04:29:43.759904+00', '2026-12-07 04:29:43.759912+00');
INSERT INTO public.signage_campaigns VALUES ('demo', 'summer-quiz', 'https://brand.example/quiz?lang=en', '["QUIZ_STARTED", "QUIZ_FINISHED"]', 'QUIZ_FINISHED', 86400, '2026-12-07 04:29:43.761942+00', '2026-12-07 04:29:43.761947+00');


--
-- Data for Name: signage_coupons; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.signage_coupons VALUES (3, 'demo', 'spring-form', 'SPRING-0003', 'listed', NULL, NULL, '2026-12-07 04:29:43.762597+00');
INSERT INTO public.signage_coupons VALUES (4, 'demo', 'summer-quiz', 'SUMMER-83J7JA3F', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (5, 'demo', 'summer-quiz', 'SUMMER-NRYHCPJ6', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (6, 'demo', 'summer-quiz', 'SUMMER-G64YV4KX', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (7, 'demo', 'summer-quiz', 'SUMMER-RMSPKZ5V', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (8, 'demo', 'summer-quiz', 'SUMMER-P8PHH5DT', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (9, 'demo', 'summer-quiz', 'SUMMER-92Z8GAZQ', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (10, 'demo', 'summer-quiz', 'SUMMER-X7M6FJZX', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (11, 'demo', 'summer-quiz', 'SUMMER-6SXXDBQP', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (12, 'demo', 'summer-quiz', 'SUMMER-T6B5XAQX', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (13, 'demo', 'summer-quiz', 'SUMMER-H8TDY2W8', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (14, 'demo', 'summer-quiz', 'SUMMER-8QJQF8WN', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (15, 'demo', 'summer-quiz', 'SUMMER-2Q23Y693', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (16, 'demo', 'summer-quiz', 'SUMMER-ZX9C38CW', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (17, 'demo', 'summer-quiz', 'SUMMER-6YW7CP6Y', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (18, 'demo', 'summer-quiz', 'SUMMER-42KWT5S9', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (19, 'demo', 'summer-quiz', 'SUMMER-PJ42HC56', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (20, 'demo', 'summer-quiz', 'SUMMER-HF392J5Q', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (21, 'demo', 'summer-quiz', 'SUMMER-Y6ZAXDXM', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (22, 'demo', 'summer-quiz', 'SUMMER-6AJZ76GN', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (23, 'demo', 'summer-quiz', 'SUMMER-F9TR5JN3', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (24, 'demo', 'summer-quiz', 'SUMMER-9YVWNSE8', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (25, 'demo', 'summer-quiz', 'SUMMER-MV2A8VJR', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (26, 'demo', 'summer-quiz', 'SUMMER-DVYS8Y6C', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (27, 'demo', 'summer-quiz', 'SUMMER-DWQSVUK6', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (28, 'demo', 'summer-quiz', 'SUMMER-R3NKQVPF', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (29, 'demo', 'summer-quiz', 'SUMMER-BN8MG3TN', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (30, 'demo', 'summer-quiz', 'SUMMER-267K3V7Z', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (31, 'demo', 'summer-quiz', 'SUMMER-WUT88VYU', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (32, 'demo', 'summer-quiz', 'SUMMER-JR2ADCNX', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (33, 'demo', 'summer-quiz', 'SUMMER-FEX75VEC', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (34, 'demo', 'summer-quiz', 'SUMMER-GSYMKYX9', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (35, 'demo', 'summer-quiz', 'SUMMER-CXRT7X9T', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (36, 'demo', 'summer-quiz', 'SUMMER-NAJH5C95', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (37, 'demo', 'summer-quiz', 'SUMMER-AS3JTHHH', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (38, 'demo', 'summer-quiz', 'SUMMER-H5C99QA7', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (39, 'demo', 'summer-quiz', 'SUMMER-YWREHY3F', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (40, 'demo', 'summer-quiz', 'SUMMER-UGDRRFBG', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (41, 'demo', 'summer-quiz', 'SUMMER-UCKVY7TE', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (42, 'demo', 'summer-quiz', 'SUMMER-HGBWRU3A', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (43, 'demo', 'summer-quiz', 'SUMMER-2EGZN4P2', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (44, 'demo', 'summer-quiz', 'SUMMER-X76Z69GT', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (45, 'demo', 'summer-quiz', 'SUMMER-G22ST5DD', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (46, 'demo', 'summer-quiz', 'SUMMER-2AKCQJJZ', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (47, 'demo', 'summer-quiz', 'SUMMER-SHWYG9NU', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (48, 'demo', 'summer-quiz', 'SUMMER-Z8ZP36M7', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (49, 'demo', 'summer-quiz', 'SUMMER-EGM7J7KN', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (50, 'demo', 'summer-quiz', 'SUMMER-GT4T54CX', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (51, 'demo', 'summer-quiz', 'SUMMER-SVE294CH', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (52, 'demo', 'summer-quiz', 'SUMMER-PF2H8YDF', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (53, 'demo', 'summer-quiz', 'SUMMER-Z9UEHKKZ', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (54, 'demo', 'summer-quiz', 'SUMMER-HMJ5H7WB', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (55, 'demo', 'summer-quiz', 'SUMMER-3ABHKG28', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (56, 'demo', 'summer-quiz', 'SUMMER-7YGGFYBC', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (57, 'demo', 'summer-quiz', 'SUMMER-2PTQ9DCJ', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (58, 'demo', 'summer-quiz', 'SUMMER-UJQPSNY3', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (59, 'demo', 'summer-quiz', 'SUMMER-4SEBTBCN', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (60, 'demo', 'summer-quiz', 'SUMMER-DUDBEWSA', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (61, 'demo', 'summer-quiz', 'SUMMER-YPJNGUAT', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (62, 'demo', 'summer-quiz', 'SUMMER-CBDFGUMH', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (63, 'demo', 'summer-quiz', 'SUMMER-DS45RUAK', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (64, 'demo', 'summer-quiz', 'SUMMER-5ARMAU3Z', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (65, 'demo', 'summer-quiz', 'SUMMER-4TNA8RZB', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (66, 'demo', 'summer-quiz', 'SUMMER-67WKGTB4', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (67, 'demo', 'summer-quiz', 'SUMMER-TT53GKTQ', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (68, 'demo', 'summer-quiz', 'SUMMER-RKJRXDKT', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (69, 'demo', 'summer-quiz', 'SUMMER-B7XE6FJX', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (70, 'demo', 'summer-quiz', 'SUMMER-W494DBTM', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (71, 'demo', 'summer-quiz', 'SUMMER-CGH4N34G', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (72, 'demo', 'summer-quiz', 'SUMMER-NCTXF64M', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (73, 'demo', 'summer-quiz', 'SUMMER-VHAS7QM9', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (74, 'demo', 'summer-quiz', 'SUMMER-SJDBVUSA', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (75, 'demo', 'summer-quiz', 'SUMMER-X7BCSNX9', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (76, 'demo', 'summer-quiz', 'SUMMER-XNGSGKTQ', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (77, 'demo', 'summer-quiz', 'SUMMER-3K9A2KCE', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (78, 'demo', 'summer-quiz', 'SUMMER-VYQB3NWX', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (79, 'demo', 'summer-quiz', 'SUMMER-RV7ZRRVJ', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (80, 'demo', 'summer-quiz', 'SUMMER-PP6NU269', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (81, 'demo', 'summer-quiz', 'SUMMER-GWTRK7P3', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (82, 'demo', 'summer-quiz', 'SUMMER-CRMJY4U3', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (83, 'demo', 'summer-quiz', 'SUMMER-ARNYCW6Q', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (84, 'demo', 'summer-quiz', 'SUMMER-FFNEP9XJ', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (85, 'demo', 'summer-quiz', 'SUMMER-HDDAGK85', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (86, 'demo', 'summer-quiz', 'SUMMER-UZ9JT8BE', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (87, 'demo', 'summer-quiz', 'SUMMER-4C7QWZDG', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (88, 'demo', 'summer-quiz', 'SUMMER-3A42Z2FR', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (89, 'demo', 'summer-quiz', 'SUMMER-VTMTXN52', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (90, 'demo', 'summer-quiz', 'SUMMER-VUWWZK48', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (91, 'demo', 'summer-quiz', 'SUMMER-J8T2XUPA', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (92, 'demo', 'summer-quiz', 'SUMMER-HA7G4NEV', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (93, 'demo', 'summer-quiz', 'SUMMER-8YYA6WUC', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (94, 'demo', 'summer-quiz', 'SUMMER-F6H8SFBQ', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (95, 'demo', 'summer-quiz', 'SUMMER-U6WU4VQC', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (96, 'demo', 'summer-quiz', 'SUMMER-7V2J3U42', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (97, 'demo', 'summer-quiz', 'SUMMER-YNTGFCP3', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (98, 'demo', 'summer-quiz', 'SUMMER-PAWBXKE9', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (99, 'demo', 'summer-quiz', 'SUMMER-CRBK28KS', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (100, 'demo', 'summer-quiz', 'SUMMER-9C34XS2V', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (101, 'demo', 'summer-quiz', 'SUMMER-A7VJ9SUJ', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (102, 'demo', 'summer-quiz', 'SUMMER-7J8BZZ9B', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (103, 'demo', 'summer-quiz', 'SUMMER-2CPVARMC', 'generated', NULL, NULL, '2026-12-07 04:29:43.768716+00');
INSERT INTO public.signage_coupons VALUES (1, 'demo', 'spring-form', 'SPRING-0001', 'listed', '01a24ec3-d020-7a9e-a921-e9a6a4c54179', '2026-12-07 04:29:45.451953+00', '2026-12-07 04:29:43.762597+00');
INSERT INTO public.signage_coupons VALUES (2, 'demo', 'spring-form', 'SPRING-0002', 'listed', '01a24ec3-d099-7978-a23d-6b55d86023d2', '2026-12-07 04:29:45.533556+00', '2026-12-07 04:29:43.762597+00');


--
-- Data for Name: signage_sessions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.signage_sessions VALUES ('01a24ec3-d020-7a9e-a921-e9a6a4c54179', 'demo', 'spring-form', 'scan', 'FORM_APPROVED', '2026-12-07 04:29:45.445457+00', 'SPRING-0001', '2026-12-07 04:29:45.451953+00', '127.0.0.1', NULL, 'Mozilla/5.0 (iPhone)', '2026-12-07 04:29:45.376173+00', NULL);
INSERT INTO public.signage_sessions VALUES ('01a24ec3-d099-7978-a23d-6b55d86023d2', 'demo', 'spring-form', 'scan', 'FORM_APPROVED', '2026-12-07 04:29:45.521398+00', 'SPRING-0002', '2026-12-07 04:29:45.533556+00', '127.0.0.1', NULL, 'Mozilla/5.0 (iPhone)', '2026-12-07 04:29:45.497182+00', NULL);


--
-- Data for Name: survey_answers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.survey_answers VALUES ('demo', 'alice', 'q-birthdate', '["1990-04-12"]', '26f422b9-2163-4592-be80-1d05c30e881f', '2026-12-07 04:29:43.980099+00');
INSERT INTO public.survey_answers VALUES ('demo', 'alice', 'q-color', '["1"]', '26f422b9-2163-4592-be80-1d05c30e881f', '2026-12-07 04:29:43.999519+00');
INSERT INTO public.survey_answers VALUES ('demo', 'alice', 'q-zip', '[]', '26f422b9-2163-4592-be80-1d05c30e881f', '2026-12-07 04:29:44.027533+00');
INSERT INTO public.survey_answers VALUES ('demo', 'alice', 'q-cars', '["2"]', '26f422b9-2163-4592-be80-1d05c30e881f', '2026-12-07 04:29:44.051544+00');
INSERT INTO public.survey_answers VALUES ('demo', 'bob', 'q-birthdate', '["1990-04-12"]', '0b00c035-03e4-42ce-8cd9-b18ba88bef48', '2026-12-07 04:29:44.258721+00');
INSERT INTO public.survey_answers VALUES ('demo', 'bob', 'q-color', '["1"]', '0b00c035-03e4-42ce-8cd9-b18ba88bef48', '2026-12-07 04:29:44.295443+00');
INSERT INTO public.survey_answers VALUES ('demo', 'bob', 'q-zip', '[]', '0b00c035-03e4-42ce-8cd9-b18ba88bef48', '2026-12-07 04:29:44.316635+00');
INSERT INTO public.survey_answers VALUES ('demo', 'bob', 'q-cars', '["2"]', '0b00c035-03e4-42ce-8cd9-b18ba88bef48', '2026-12-07 04:29:44.348913+00');


--
-- Data for Name: survey_clicks; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.survey_clicks VALUES ('0b00c035-03e4-42ce-8cd9-b18ba88bef48', 'demo', 'bob', 'srv-auto', 'a3fc985ca96bd210ca1492abc4caa324', 'survey', 'first', 'US', '[]', '[{"id": "q-birthdate", "dup": false, "qualifying": null}, {"id": "q-color", "dup": false, "qualifying": ["1"]}, {"id": "q-zip", "dup": false, "qualifying": null}, {"id": "q-cars", "dup": false, "qualifying": {"max": "5", "min": "1"}}]', '{"id": "srv-auto", "cpi": "1.2", "loi": 5.3, "value": "120", "rating": 4, "country": "US", "category": {"name": "Automotive", "icon_url": "", "icon_name": "car", "name_internal": "automotive"}, "language": "en"}', 4, 'completed', 'survey', 'https://surveys.example/start?click=0b00c035-03e4-42ce-8cd9-b18ba88bef48', NULL, '95bed728b67fe2764d08dd87490dc07c', false, '2026-12-07 04:29:44.223857+00', '2026-12-07 04:29:44.391148+00');
INSERT INTO public.survey_clicks VALUES ('26f422b9-2163-4592-be80-1d05c30e881f', 'demo', 'alice', 'srv-auto', '300751e937b7d439c9e78c365fb80bb4', 'survey', 'first', 'US', '[]', '[{"id": "q-birthdate", "dup": false, "qualifying": null}, {"id": "q-color", "dup": false, "qualifying": ["1"]}, {"id": "q-zip", "dup": false, "qualifying": null}, {"id": "q-cars", "dup": false, "qualifying": {"max": "5", "min": "1"}}]', '{"id": "srv-auto", "cpi": "1.2", "loi": 5.3, "value": "120", "rating": 4, "country": "US", "category": {"name": "Automotive", "icon_url": "", "icon_name": "car", "name_internal": "automotive"}, "language": "en"}', 4, 'completed', 'survey', 'https://surveys.example/start?click=26f422b9-2163-4592-be80-1d05c30e881f', NULL, '990cf6993181c78bd9531dcd9bc10113', false, '2026-12-07 04:29:43.919724+00', '2026-12-07 04:29:44.096527+00');


--
-- Data for Name: survey_questions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.survey_questions VALUES ('demo', 'q-color', 'SINGLE', '[["en", "What is your favorite color?"], ["de", "Was ist deine Lieblingsfarbe?"]]', '[{"code": "1", "text": [["en", "Red"], ["de", "Rot"]]}, {"code": "2", "text": [["en", "Blue"], ["de", "Blau"]]}]', false, NULL, false, '{"max": 1, "min": 1, "regex": null}');
INSERT INTO public.survey_questions VALUES ('demo', 'q-zip', 'TEXT', '[["en", "Your ZIP code?"]]', '[]', true, '10001', false, '{"max": 5, "min": 5, "regex": "^[0-9]{5}$"}');
INSERT INTO public.survey_questions VALUES ('demo', 'q-birthdate', 'DATE', '[["en", "Your date of birth?"], ["de", "Dein Geburtsdatum?"]]', '[]', false, NULL, true, '{"max": 99, "min": 18, "regex": null}');
INSERT INTO public.survey_questions VALUES ('demo', 'q-cars', 'NUMBER', '[["en", "How many cars does your household own?"]]', '[]', false, NULL, false, '{"max": "20", "min": "0", "regex": null}');
INSERT INTO public.survey_questions VALUES ('demo', 'q-brands', 'MULTI', '[["en", "Which brands have you bought from?"]]', '[{"code": "a", "text": [["en", "Acme"]]}, {"code": "b", "text": [["en", "Globex"]]}, {"code": "c", "text": [["en", "Initech"]]}]', false, NULL, false, '{"max": 2, "min": 1, "regex": null}');


--
-- Data for Name: survey_quotas; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.survey_quotas VALUES ('demo', 'srv-brands', '*', NULL, NULL, 0, 0);
INSERT INTO public.survey_quotas VALUES ('demo', 'srv-auto', '*', 100, 50, 2, 0);
INSERT INTO public.survey_quotas VALUES ('demo', 'srv-auto', 'US', 80, NULL, 2, 0);


--
-- Data for Name: survey_sessions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.survey_sessions VALUES ('300751e937b7d439c9e78c365fb80bb4', 'demo', 'alice', 'US', '[]', '2026-12-07 04:29:43.823787+00');
INSERT INTO public.survey_sessions VALUES ('a3fc985ca96bd210ca1492abc4caa324', 'demo', 'bob', 'US', '[]', '2026-12-07 04:29:44.193293+00');


--
-- Data for Name: survey_settings; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.survey_settings VALUES ('demo', 100.0000, 'https://publisher.example/back?status=terminated&uid=[%UID%]', 'https://publisher.example/back?status=bonus&uid=[%UID%]&val=[%VAL%]', 'http://127.0.0.1:9000/callback?uid=[%UID%]&val=[%VAL%]&raw=[%RAW%]&tx=[%TX%]&type=[%TYPE%]', 'demo-callback-secret', NULL, '["q-birthdate"]', 'start-bonus', '{"dark": {"background_color": "#121212", "navigation_color": "#202124", "interaction_color": "#8ab4f8", "survey_icon_color": "#1a73e8"}, "light": {"background_color": "#f5f7fb", "navigation_color": "#1a73e8", "interaction_color": "#1a73e8", "survey_icon_color": "#1a73e8"}, "currency": {"symbol": "Coins", "floor_decimal": false, "symbol_is_image": false}}');


--
-- Data for Name: survey_skips; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: survey_start_bonuses; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: survey_surveys; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.survey_surveys VALUES ('demo', 'srv-auto', 'survey', true, 0, 1.2000, 5.3, 'US', 'en', 4, '{"name": "Automotive", "icon_url": "", "icon_name": "car", "name_internal": "automotive"}', 'https://surveys.example/start?click={click_id}', '[{"id": "q-color", "qualifying": ["1"]}, {"id": "q-zip", "qualifying": null}, {"id": "q-cars", "qualifying": {"max": "5", "min": "1"}}]');
INSERT INTO public.survey_surveys VALUES ('demo', 'srv-brands', 'survey', true, 1, 0.8500, 12, 'US', 'en', 3, '{"name": "Shopping", "icon_url": "", "icon_name": "bag", "name_internal": "shopping"}', 'https://surveys.example/start?click={click_id}', '[{"id": "q-brands", "qualifying": ["a", "b"]}]');
INSERT INTO public.survey_surveys VALUES ('demo', 'start-bonus', 'start_bonus', true, -1, 0.5000, 1, NULL, NULL, 5, '{"name": "Profile", "icon_url": "", "icon_name": "user", "name_internal": "profile"}', NULL, '[{"id": "q-zip", "qualifying": null}, {"id": "q-cars", "qualifying": null}]');


--
-- Data for Name: survey_users; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.survey_users VALUES ('demo', 'alice', '26f422b9-2163-4592-be80-1d05c30e881f', '2026-12-07 04:29:43.927004+00');
INSERT INTO public.survey_users VALUES ('demo', 'bob', '0b00c035-03e4-42ce-8cd9-b18ba88bef48', '2026-12-07 04:29:44.233641+00');


--
-- Data for Name: webhooks; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.webhooks VALUES (1, 'demo', 'http://127.0.0.1:9000/hook', 'hook-secret', '["*"]', '2026-12-07 04:29:43.632916+00');


--
-- Name: credentials_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.credentials_id_seq', 4, true);


--
-- Name: journey_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.journey_events_id_seq', 38, true);


--
-- Name: loyalty_members_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.loyalty_members_id_seq', 2, true);


--
-- Name: loyalty_prompts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.loyalty_prompts_id_seq', 2, true);


--
-- Name: loyalty_sessions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.loyalty_sessions_id_seq', 2, true);


--
-- Name: loyalty_transactions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.loyalty_transactions_id_seq', 2, true);


--
-- Name: loyalty_trials_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.loyalty_trials_id_seq', 2, true);


--
-- Name: outbox_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbox_id_seq', 42, true);


--
-- Name: partner_contacts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.partner_contacts_id_seq', 4, true);


--
-- Name: signage_coupons_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.signage_coupons_id_seq', 103, true);


--
-- Name: webhooks_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.webhooks_id_seq', 1, true);


--
-- Name: access_tokens access_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_tokens
    ADD CONSTRAINT access_tokens_pkey PRIMARY KEY (token_hash);


--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: apps apps_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.apps
    ADD CONSTRAINT apps_pkey PRIMARY KEY (id);


--
-- Name: credentials credentials_client_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.credentials
    ADD CONSTRAINT credentials_client_id_key UNIQUE (client_id);


--
-- Name: credentials credentials_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.credentials
    ADD CONSTRAINT credentials_pkey PRIMARY KEY (id);


--
-- Name: credentials credentials_secret_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.credentials
    ADD CONSTRAINT credentials_secret_hash_key UNIQUE (secret_hash);


--
-- Name: journey_events journey_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.journey_events
    ADD CONSTRAINT journey_events_pkey PRIMARY KEY (id, created_at);


--
-- Name: journey_events_default journey_events_default_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.journey_events_default
    ADD CONSTRAINT journey_events_default_pkey PRIMARY KEY (id, created_at);


--
-- Name: journey_events_p2026_12 journey_events_p2026_12_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.journey_events_p2026_12
    ADD CONSTRAINT journey_events_p2026_12_pkey PRIMARY KEY (id, created_at);


--
-- Name: journey_events_p2027_01 journey_events_p2027_01_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.journey_events_p2027_01
    ADD CONSTRAINT journey_events_p2027_01_pkey PRIMARY KEY (id, created_at);


--
-- Name: journey_events_p2027_02 journey_events_p2027_02_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.journey_events_p2027_02
    ADD CONSTRAINT journey_events_p2027_02_pkey PRIMARY KEY (id, created_at);


--
-- Name: loyalty_member_identifiers loyalty_member_identifiers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_member_identifiers
    ADD CONSTRAINT loyalty_member_identifiers_pkey PRIMARY KEY (app_id, identifier_type, value);


--
-- Name: loyalty_members loyalty_members_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_members
    ADD CONSTRAINT loyalty_members_pkey PRIMARY KEY (id);


--
-- Name: loyalty_offers loyalty_offers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_offers
    ADD CONSTRAINT loyalty_offers_pkey PRIMARY KEY (app_id, id);


--
-- Name: loyalty_programs loyalty_programs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_programs
    ADD CONSTRAINT loyalty_programs_pkey PRIMARY KEY (app_id);


--
-- Name: loyalty_prompts loyalty_prompts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_prompts
    ADD CONSTRAINT loyalty_prompts_pkey PRIMARY KEY (id);


--
-- Name: loyalty_sessions loyalty_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_sessions
    ADD CONSTRAINT loyalty_sessions_pkey PRIMARY KEY (id);


--
-- Name: loyalty_transactions loyalty_transactions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_transactions
    ADD CONSTRAINT loyalty_transactions_pkey PRIMARY KEY (id);


--
-- Name: loyalty_trials loyalty_trials_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_trials
    ADD CONSTRAINT loyalty_trials_pkey PRIMARY KEY (id);


--
-- Name: outbox outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);


--
-- Name: partner_banners partner_banners_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_banners
    ADD CONSTRAINT partner_banners_pkey PRIMARY KEY (app_id, id);


--
-- Name: partner_clicks partner_clicks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_clicks
    ADD CONSTRAINT partner_clicks_pkey PRIMARY KEY (id, create_time);


--
-- Name: partner_clicks_default partner_clicks_default_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_clicks_default
    ADD CONSTRAINT partner_clicks_default_pkey PRIMARY KEY (id, create_time);


--
-- Name: partner_clicks_p2026_12 partner_clicks_p2026_12_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_clicks_p2026_12
    ADD CONSTRAINT partner_clicks_p2026_12_pkey PRIMARY KEY (id, create_time);


--
-- Name: partner_clicks_p2027_01 partner_clicks_p2027_01_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_clicks_p2027_01
    ADD CONSTRAINT partner_clicks_p2027_01_pkey PRIMARY KEY (id, create_time);


--
-- Name: partner_clicks_p2027_02 partner_clicks_p2027_02_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_clicks_p2027_02
    ADD CONSTRAINT partner_clicks_p2027_02_pkey PRIMARY KEY (id, create_time);


--
-- Name: partner_contacts partner_contacts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_contacts
    ADD CONSTRAINT partner_contacts_pkey PRIMARY KEY (id);


--
-- Name: partner_links partner_links_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_links
    ADD CONSTRAINT partner_links_pkey PRIMARY KEY (app_id, id);


--
-- Name: partner_profiles partner_profiles_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_profiles
    ADD CONSTRAINT partner_profiles_pkey PRIMARY KEY (id);


--
-- Name: partner_settings partner_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_settings
    ADD CONSTRAINT partner_settings_pkey PRIMARY KEY (app_id);


--
-- Name: partner_click_uuids pk_partner_click_uuids; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_click_uuids
    ADD CONSTRAINT pk_partner_click_uuids PRIMARY KEY (app_id, uuid);


--
-- Name: rollup_counts pk_rollup_counts; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.rollup_counts
    ADD CONSTRAINT pk_rollup_counts PRIMARY KEY (app_id, family, dimension, measure, bucket, dim_value);


--
-- Name: signage_campaigns pk_signage_campaigns; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signage_campaigns
    ADD CONSTRAINT pk_signage_campaigns PRIMARY KEY (app_id, id);


--
-- Name: survey_answers pk_survey_answers; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.survey_answers
    ADD CONSTRAINT pk_survey_answers PRIMARY KEY (app_id, user_id, question_id);


--
-- Name: survey_questions pk_survey_questions; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.survey_questions
    ADD CONSTRAINT pk_survey_questions PRIMARY KEY (app_id, id);


--
-- Name: survey_quotas pk_survey_quotas; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.survey_quotas
    ADD CONSTRAINT pk_survey_quotas PRIMARY KEY (app_id, survey_id, country);


--
-- Name: survey_skips pk_survey_skips; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.survey_skips
    ADD CONSTRAINT pk_survey_skips PRIMARY KEY (app_id, user_id, survey_id);


--
-- Name: survey_start_bonuses pk_survey_start_bonuses; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.survey_start_bonuses
    ADD CONSTRAINT pk_survey_start_bonuses PRIMARY KEY (app_id, user_id);


--
-- Name: survey_surveys pk_survey_surveys; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.survey_surveys
    ADD CONSTRAINT pk_survey_surveys PRIMARY KEY (app_id, id);


--
-- Name: survey_users pk_survey_users; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.survey_users
    ADD CONSTRAINT pk_survey_users PRIMARY KEY (app_id, user_id);


--
-- Name: signage_coupons signage_coupons_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signage_coupons
    ADD CONSTRAINT signage_coupons_pkey PRIMARY KEY (id);


--
-- Name: signage_sessions signage_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signage_sessions
    ADD CONSTRAINT signage_sessions_pkey PRIMARY KEY (id);


--
-- Name: survey_clicks survey_clicks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.survey_clicks
    ADD CONSTRAINT survey_clicks_pkey PRIMARY KEY (id);


--
-- Name: survey_sessions survey_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.survey_sessions
    ADD CONSTRAINT survey_sessions_pkey PRIMARY KEY (id);


--
-- Name: survey_settings survey_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.survey_settings
    ADD CONSTRAINT survey_settings_pkey PRIMARY KEY (app_id);


--
-- Name: credentials uq_credentials_app_id_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.credentials
    ADD CONSTRAINT uq_credentials_app_id_name UNIQUE (app_id, name);


--
-- Name: loyalty_members uq_loyalty_members_app_id_account_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_members
    ADD CONSTRAINT uq_loyalty_members_app_id_account_id UNIQUE (app_id, account_id);


--
-- Name: loyalty_members uq_loyalty_members_app_id_loyalty_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_members
    ADD CONSTRAINT uq_loyalty_members_app_id_loyalty_id UNIQUE (app_id, loyalty_id);


--
-- Name: loyalty_prompts uq_loyalty_prompts_app_id_prompt_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_prompts
    ADD CONSTRAINT uq_loyalty_prompts_app_id_prompt_id UNIQUE (app_id, prompt_id);


--
-- Name: loyalty_sessions uq_loyalty_sessions_app_id_correlation_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_sessions
    ADD CONSTRAINT uq_loyalty_sessions_app_id_correlation_id UNIQUE (app_id, correlation_id);


--
-- Name: loyalty_transactions uq_loyalty_transactions_app_id_transaction_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_transactions
    ADD CONSTRAINT uq_loyalty_transactions_app_id_transaction_id UNIQUE (app_id, transaction_id);


--
-- Name: loyalty_transactions uq_loyalty_transactions_session_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_transactions
    ADD CONSTRAINT uq_loyalty_transactions_session_id UNIQUE (session_id);


--
-- Name: loyalty_trials uq_loyalty_trials_session_id_call_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_trials
    ADD CONSTRAINT uq_loyalty_trials_session_id_call_id UNIQUE (session_id, call_id);


--
-- Name: partner_profiles uq_partner_profiles_app_id_uuid; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_profiles
    ADD CONSTRAINT uq_partner_profiles_app_id_uuid UNIQUE (app_id, uuid);


--
-- Name: signage_coupons uq_signage_coupons_app_id_code; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signage_coupons
    ADD CONSTRAINT uq_signage_coupons_app_id_code UNIQUE (app_id, code);


--
-- Name: signage_coupons uq_signage_coupons_session_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signage_coupons
    ADD CONSTRAINT uq_signage_coupons_session_id UNIQUE (session_id);


--
-- Name: webhooks uq_webhooks_app_id_url; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT uq_webhooks_app_id_url UNIQUE (app_id, url);


--
-- Name: webhooks webhooks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT webhooks_pkey PRIMARY KEY (id);


--
-- Name: ix_access_tokens_credential_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_access_tokens_credential_id ON public.access_tokens USING btree (credential_id);


--
-- Name: ix_access_tokens_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_access_tokens_expires_at ON public.access_tokens USING btree (expires_at);


--
-- Name: ix_journey_events_app_id_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_journey_events_app_id_id ON ONLY public.journey_events USING btree (app_id, id);


--
-- Name: ix_journey_events_app_journey; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_journey_events_app_journey ON ONLY public.journey_events USING btree (app_id, family, journey_id);


--
-- Name: ix_journey_events_app_type_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_journey_events_app_type_id ON ONLY public.journey_events USING btree (app_id, type, id);


--
-- Name: ix_loyalty_prompts_session_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_loyalty_prompts_session_id ON public.loyalty_prompts USING btree (session_id);


--
-- Name: ix_loyalty_transactions_app_member_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_loyalty_transactions_app_member_id ON public.loyalty_transactions USING btree (app_id, member_id, id);


--
-- Name: ix_outbox_app_id_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_app_id_id ON public.outbox USING btree (app_id, id);


--
-- Name: ix_outbox_app_status_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_app_status_id ON public.outbox USING btree (app_id, status, id);


--
-- Name: ix_outbox_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_due ON public.outbox USING btree (status, next_attempt_at);


--
-- Name: ix_partner_clicks_app_country; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_partner_clicks_app_country ON ONLY public.partner_clicks USING btree (app_id, country_code, create_time, "time");


--
-- Name: ix_partner_clicks_app_create; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_partner_clicks_app_create ON ONLY public.partner_clicks USING btree (app_id, create_time, id);


--
-- Name: ix_partner_clicks_app_link; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_partner_clicks_app_link ON ONLY public.partner_clicks USING btree (app_id, link_id, "time");


--
-- Name: ix_partner_clicks_app_profile; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_partner_clicks_app_profile ON ONLY public.partner_clicks USING btree (app_id, profile_id);


--
-- Name: ix_partner_clicks_app_time_create; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_partner_clicks_app_time_create ON ONLY public.partner_clicks USING btree (app_id, "time", id, create_time);


--
-- Name: ix_partner_clicks_app_verdict; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_partner_clicks_app_verdict ON ONLY public.partner_clicks USING btree (app_id, verdict, create_time, "time");


--
-- Name: ix_partner_clicks_visitor; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_partner_clicks_visitor ON ONLY public.partner_clicks USING btree (app_id, ip, ua_hash, link_id, "time");


--
-- Name: ix_partner_contacts_profile; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_partner_contacts_profile ON public.partner_contacts USING btree (profile_id, "position");


--
-- Name: ix_partner_profiles_app_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_partner_profiles_app_id ON public.partner_profiles USING btree (app_id);


--
-- Name: ix_signage_coupons_free; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_signage_coupons_free ON public.signage_coupons USING btree (app_id, campaign_id, id) WHERE (session_id IS NULL);


--
-- Name: ix_signage_sessions_app_campaign_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_signage_sessions_app_campaign_created ON public.signage_sessions USING btree (app_id, campaign_id, created_at);


--
-- Name: ix_survey_clicks_survey_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_survey_clicks_survey_status ON public.survey_clicks USING btree (app_id, survey_id, status);


--
-- Name: ix_survey_clicks_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_survey_clicks_user ON public.survey_clicks USING btree (app_id, user_id, survey_id);


--
-- Name: journey_events_default_app_id_family_journey_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX journey_events_default_app_id_family_journey_id_idx ON public.journey_events_default USING btree (app_id, family, journey_id);


--
-- Name: journey_events_default_app_id_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX journey_events_default_app_id_id_idx ON public.journey_events_default USING btree (app_id, id);


--
-- Name: journey_events_default_app_id_type_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX journey_events_default_app_id_type_id_idx ON public.journey_events_default USING btree (app_id, type, id);


--
-- Name: journey_events_p2026_12_app_id_family_journey_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX journey_events_p2026_12_app_id_family_journey_id_idx ON public.journey_events_p2026_12 USING btree (app_id, family, journey_id);


--
-- Name: journey_events_p2026_12_app_id_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX journey_events_p2026_12_app_id_id_idx ON public.journey_events_p2026_12 USING btree (app_id, id);


--
-- Name: journey_events_p2026_12_app_id_type_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX journey_events_p2026_12_app_id_type_id_idx ON public.journey_events_p2026_12 USING btree (app_id, type, id);


--
-- Name: journey_events_p2027_01_app_id_family_journey_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX journey_events_p2027_01_app_id_family_journey_id_idx ON public.journey_events_p2027_01 USING btree (app_id, family, journey_id);


--
-- Name: journey_events_p2027_01_app_id_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX journey_events_p2027_01_app_id_id_idx ON public.journey_events_p2027_01 USING btree (app_id, id);


--
-- Name: journey_events_p2027_01_app_id_type_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX journey_events_p2027_01_app_id_type_id_idx ON public.journey_events_p2027_01 USING btree (app_id, type, id);


--
-- Name: journey_events_p2027_02_app_id_family_journey_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX journey_events_p2027_02_app_id_family_journey_id_idx ON public.journey_events_p2027_02 USING btree (app_id, family, journey_id);


--
-- Name: journey_events_p2027_02_app_id_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX journey_events_p2027_02_app_id_id_idx ON public.journey_events_p2027_02 USING btree (app_id, id);


--
-- Name: journey_events_p2027_02_app_id_type_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX journey_events_p2027_02_app_id_type_id_idx ON public.journey_events_p2027_02 USING btree (app_id, type, id);


--
-- Name: partner_clicks_default_app_id_country_code_create_time_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_default_app_id_country_code_create_time_time_idx ON public.partner_clicks_default USING btree (app_id, country_code, create_time, "time");


--
-- Name: partner_clicks_default_app_id_create_time_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_default_app_id_create_time_id_idx ON public.partner_clicks_default USING btree (app_id, create_time, id);


--
-- Name: partner_clicks_default_app_id_ip_ua_hash_link_id_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_default_app_id_ip_ua_hash_link_id_time_idx ON public.partner_clicks_default USING btree (app_id, ip, ua_hash, link_id, "time");


--
-- Name: partner_clicks_default_app_id_link_id_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_default_app_id_link_id_time_idx ON public.partner_clicks_default USING btree (app_id, link_id, "time");


--
-- Name: partner_clicks_default_app_id_profile_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_default_app_id_profile_id_idx ON public.partner_clicks_default USING btree (app_id, profile_id);


--
-- Name: partner_clicks_default_app_id_time_id_create_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_default_app_id_time_id_create_time_idx ON public.partner_clicks_default USING btree (app_id, "time", id, create_time);


--
-- Name: partner_clicks_default_app_id_verdict_create_time_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_default_app_id_verdict_create_time_time_idx ON public.partner_clicks_default USING btree (app_id, verdict, create_time, "time");


--
-- Name: partner_clicks_p2026_12_app_id_country_code_create_time_tim_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2026_12_app_id_country_code_create_time_tim_idx ON public.partner_clicks_p2026_12 USING btree (app_id, country_code, create_time, "time");


--
-- Name: partner_clicks_p2026_12_app_id_create_time_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2026_12_app_id_create_time_id_idx ON public.partner_clicks_p2026_12 USING btree (app_id, create_time, id);


--
-- Name: partner_clicks_p2026_12_app_id_ip_ua_hash_link_id_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2026_12_app_id_ip_ua_hash_link_id_time_idx ON public.partner_clicks_p2026_12 USING btree (app_id, ip, ua_hash, link_id, "time");


--
-- Name: partner_clicks_p2026_12_app_id_link_id_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2026_12_app_id_link_id_time_idx ON public.partner_clicks_p2026_12 USING btree (app_id, link_id, "time");


--
-- Name: partner_clicks_p2026_12_app_id_profile_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2026_12_app_id_profile_id_idx ON public.partner_clicks_p2026_12 USING btree (app_id, profile_id);


--
-- Name: partner_clicks_p2026_12_app_id_time_id_create_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2026_12_app_id_time_id_create_time_idx ON public.partner_clicks_p2026_12 USING btree (app_id, "time", id, create_time);


--
-- Name: partner_clicks_p2026_12_app_id_verdict_create_time_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2026_12_app_id_verdict_create_time_time_idx ON public.partner_clicks_p2026_12 USING btree (app_id, verdict, create_time, "time");


--
-- Name: partner_clicks_p2027_01_app_id_country_code_create_time_tim_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_01_app_id_country_code_create_time_tim_idx ON public.partner_clicks_p2027_01 USING btree (app_id, country_code, create_time, "time");


--
-- Name: partner_clicks_p2027_01_app_id_create_time_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_01_app_id_create_time_id_idx ON public.partner_clicks_p2027_01 USING btree (app_id, create_time, id);


--
-- Name: partner_clicks_p2027_01_app_id_ip_ua_hash_link_id_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_01_app_id_ip_ua_hash_link_id_time_idx ON public.partner_clicks_p2027_01 USING btree (app_id, ip, ua_hash, link_id, "time");


--
-- Name: partner_clicks_p2027_01_app_id_link_id_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_01_app_id_link_id_time_idx ON public.partner_clicks_p2027_01 USING btree (app_id, link_id, "time");


--
-- Name: partner_clicks_p2027_01_app_id_profile_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_01_app_id_profile_id_idx ON public.partner_clicks_p2027_01 USING btree (app_id, profile_id);


--
-- Name: partner_clicks_p2027_01_app_id_time_id_create_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_01_app_id_time_id_create_time_idx ON public.partner_clicks_p2027_01 USING btree (app_id, "time", id, create_time);


--
-- Name: partner_clicks_p2027_01_app_id_verdict_create_time_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_01_app_id_verdict_create_time_time_idx ON public.partner_clicks_p2027_01 USING btree (app_id, verdict, create_time, "time");


--
-- Name: partner_clicks_p2027_02_app_id_country_code_create_time_tim_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_02_app_id_country_code_create_time_tim_idx ON public.partner_clicks_p2027_02 USING btree (app_id, country_code, create_time, "time");


--
-- Name: partner_clicks_p2027_02_app_id_create_time_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_02_app_id_create_time_id_idx ON public.partner_clicks_p2027_02 USING btree (app_id, create_time, id);


--
-- Name: partner_clicks_p2027_02_app_id_ip_ua_hash_link_id_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_02_app_id_ip_ua_hash_link_id_time_idx ON public.partner_clicks_p2027_02 USING btree (app_id, ip, ua_hash, link_id, "time");


--
-- Name: partner_clicks_p2027_02_app_id_link_id_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_02_app_id_link_id_time_idx ON public.partner_clicks_p2027_02 USING btree (app_id, link_id, "time");


--
-- Name: partner_clicks_p2027_02_app_id_profile_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_02_app_id_profile_id_idx ON public.partner_clicks_p2027_02 USING btree (app_id, profile_id);


--
-- Name: partner_clicks_p2027_02_app_id_time_id_create_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_02_app_id_time_id_create_time_idx ON public.partner_clicks_p2027_02 USING btree (app_id, "time", id, create_time);


--
-- Name: partner_clicks_p2027_02_app_id_verdict_create_time_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX partner_clicks_p2027_02_app_id_verdict_create_time_time_idx ON public.partner_clicks_p2027_02 USING btree (app_id, verdict, create_time, "time");


--
-- Name: journey_events_default_app_id_family_journey_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_journey_events_app_journey ATTACH PARTITION public.journey_events_default_app_id_family_journey_id_idx;


--
-- Name: journey_events_default_app_id_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_journey_events_app_id_id ATTACH PARTITION public.journey_events_default_app_id_id_idx;


--
-- Name: journey_events_default_app_id_type_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_journey_events_app_type_id ATTACH PARTITION public.journey_events_default_app_id_type_id_idx;


--
-- Name: journey_events_default_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.journey_events_pkey ATTACH PARTITION public.journey_events_default_pkey;


--
-- Name: journey_events_p2026_12_app_id_family_journey_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_journey_events_app_journey ATTACH PARTITION public.journey_events_p2026_12_app_id_family_journey_id_idx;


--
-- Name: journey_events_p2026_12_app_id_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_journey_events_app_id_id ATTACH PARTITION public.journey_events_p2026_12_app_id_id_idx;


--
-- Name: journey_events_p2026_12_app_id_type_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_journey_events_app_type_id ATTACH PARTITION public.journey_events_p2026_12_app_id_type_id_idx;


--
-- Name: journey_events_p2026_12_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.journey_events_pkey ATTACH PARTITION public.journey_events_p2026_12_pkey;


--
-- Name: journey_events_p2027_01_app_id_family_journey_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_journey_events_app_journey ATTACH PARTITION public.journey_events_p2027_01_app_id_family_journey_id_idx;


--
-- Name: journey_events_p2027_01_app_id_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_journey_events_app_id_id ATTACH PARTITION public.journey_events_p2027_01_app_id_id_idx;


--
-- Name: journey_events_p2027_01_app_id_type_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_journey_events_app_type_id ATTACH PARTITION public.journey_events_p2027_01_app_id_type_id_idx;


--
-- Name: journey_events_p2027_01_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.journey_events_pkey ATTACH PARTITION public.journey_events_p2027_01_pkey;


--
-- Name: journey_events_p2027_02_app_id_family_journey_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_journey_events_app_journey ATTACH PARTITION public.journey_events_p2027_02_app_id_family_journey_id_idx;


--
-- Name: journey_events_p2027_02_app_id_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_journey_events_app_id_id ATTACH PARTITION public.journey_events_p2027_02_app_id_id_idx;


--
-- Name: journey_events_p2027_02_app_id_type_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_journey_events_app_type_id ATTACH PARTITION public.journey_events_p2027_02_app_id_type_id_idx;


--
-- Name: journey_events_p2027_02_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.journey_events_pkey ATTACH PARTITION public.journey_events_p2027_02_pkey;


--
-- Name: partner_clicks_default_app_id_country_code_create_time_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_country ATTACH PARTITION public.partner_clicks_default_app_id_country_code_create_time_time_idx;


--
-- Name: partner_clicks_default_app_id_create_time_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_create ATTACH PARTITION public.partner_clicks_default_app_id_create_time_id_idx;


--
-- Name: partner_clicks_default_app_id_ip_ua_hash_link_id_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_visitor ATTACH PARTITION public.partner_clicks_default_app_id_ip_ua_hash_link_id_time_idx;


--
-- Name: partner_clicks_default_app_id_link_id_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_link ATTACH PARTITION public.partner_clicks_default_app_id_link_id_time_idx;


--
-- Name: partner_clicks_default_app_id_profile_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_profile ATTACH PARTITION public.partner_clicks_default_app_id_profile_id_idx;


--
-- Name: partner_clicks_default_app_id_time_id_create_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_time_create ATTACH PARTITION public.partner_clicks_default_app_id_time_id_create_time_idx;


--
-- Name: partner_clicks_default_app_id_verdict_create_time_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_verdict ATTACH PARTITION public.partner_clicks_default_app_id_verdict_create_time_time_idx;


--
-- Name: partner_clicks_default_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.partner_clicks_pkey ATTACH PARTITION public.partner_clicks_default_pkey;


--
-- Name: partner_clicks_p2026_12_app_id_country_code_create_time_tim_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_country ATTACH PARTITION public.partner_clicks_p2026_12_app_id_country_code_create_time_tim_idx;


--
-- Name: partner_clicks_p2026_12_app_id_create_time_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_create ATTACH PARTITION public.partner_clicks_p2026_12_app_id_create_time_id_idx;


--
-- Name: partner_clicks_p2026_12_app_id_ip_ua_hash_link_id_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_visitor ATTACH PARTITION public.partner_clicks_p2026_12_app_id_ip_ua_hash_link_id_time_idx;


--
-- Name: partner_clicks_p2026_12_app_id_link_id_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_link ATTACH PARTITION public.partner_clicks_p2026_12_app_id_link_id_time_idx;


--
-- Name: partner_clicks_p2026_12_app_id_profile_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_profile ATTACH PARTITION public.partner_clicks_p2026_12_app_id_profile_id_idx;


--
-- Name: partner_clicks_p2026_12_app_id_time_id_create_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_time_create ATTACH PARTITION public.partner_clicks_p2026_12_app_id_time_id_create_time_idx;


--
-- Name: partner_clicks_p2026_12_app_id_verdict_create_time_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_verdict ATTACH PARTITION public.partner_clicks_p2026_12_app_id_verdict_create_time_time_idx;


--
-- Name: partner_clicks_p2026_12_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.partner_clicks_pkey ATTACH PARTITION public.partner_clicks_p2026_12_pkey;


--
-- Name: partner_clicks_p2027_01_app_id_country_code_create_time_tim_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_country ATTACH PARTITION public.partner_clicks_p2027_01_app_id_country_code_create_time_tim_idx;


--
-- Name: partner_clicks_p2027_01_app_id_create_time_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_create ATTACH PARTITION public.partner_clicks_p2027_01_app_id_create_time_id_idx;


--
-- Name: partner_clicks_p2027_01_app_id_ip_ua_hash_link_id_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_visitor ATTACH PARTITION public.partner_clicks_p2027_01_app_id_ip_ua_hash_link_id_time_idx;


--
-- Name: partner_clicks_p2027_01_app_id_link_id_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_link ATTACH PARTITION public.partner_clicks_p2027_01_app_id_link_id_time_idx;


--
-- Name: partner_clicks_p2027_01_app_id_profile_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_profile ATTACH PARTITION public.partner_clicks_p2027_01_app_id_profile_id_idx;


--
-- Name: partner_clicks_p2027_01_app_id_time_id_create_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_time_create ATTACH PARTITION public.partner_clicks_p2027_01_app_id_time_id_create_time_idx;


--
-- Name: partner_clicks_p2027_01_app_id_verdict_create_time_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_verdict ATTACH PARTITION public.partner_clicks_p2027_01_app_id_verdict_create_time_time_idx;


--
-- Name: partner_clicks_p2027_01_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.partner_clicks_pkey ATTACH PARTITION public.partner_clicks_p2027_01_pkey;


--
-- Name: partner_clicks_p2027_02_app_id_country_code_create_time_tim_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_country ATTACH PARTITION public.partner_clicks_p2027_02_app_id_country_code_create_time_tim_idx;


--
-- Name: partner_clicks_p2027_02_app_id_create_time_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_create ATTACH PARTITION public.partner_clicks_p2027_02_app_id_create_time_id_idx;


--
-- Name: partner_clicks_p2027_02_app_id_ip_ua_hash_link_id_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_visitor ATTACH PARTITION public.partner_clicks_p2027_02_app_id_ip_ua_hash_link_id_time_idx;


--
-- Name: partner_clicks_p2027_02_app_id_link_id_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_link ATTACH PARTITION public.partner_clicks_p2027_02_app_id_link_id_time_idx;


--
-- Name: partner_clicks_p2027_02_app_id_profile_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_profile ATTACH PARTITION public.partner_clicks_p2027_02_app_id_profile_id_idx;


--
-- Name: partner_clicks_p2027_02_app_id_time_id_create_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_time_create ATTACH PARTITION public.partner_clicks_p2027_02_app_id_time_id_create_time_idx;


--
-- Name: partner_clicks_p2027_02_app_id_verdict_create_time_time_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.ix_partner_clicks_app_verdict ATTACH PARTITION public.partner_clicks_p2027_02_app_id_verdict_create_time_time_idx;


--
-- Name: partner_clicks_p2027_02_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.partner_clicks_pkey ATTACH PARTITION public.partner_clicks_p2027_02_pkey;


--
-- Name: partner_clicks partner_clicks_release_uuid; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER partner_clicks_release_uuid AFTER DELETE ON public.partner_clicks FOR EACH ROW WHEN ((old.uuid IS NOT NULL)) EXECUTE FUNCTION public.partner_clicks_release_uuid();


--
-- Name: partner_clicks partner_clicks_reserve_uuid; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER partner_clicks_reserve_uuid BEFORE INSERT OR UPDATE OF uuid, app_id ON public.partner_clicks FOR EACH ROW WHEN ((new.uuid IS NOT NULL)) EXECUTE FUNCTION public.partner_clicks_reserve_uuid();


--
-- Name: access_tokens access_tokens_credential_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_tokens
    ADD CONSTRAINT access_tokens_credential_id_fkey FOREIGN KEY (credential_id) REFERENCES public.credentials(id) ON DELETE CASCADE;


--
-- Name: credentials credentials_app_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.credentials
    ADD CONSTRAINT credentials_app_id_fkey FOREIGN KEY (app_id) REFERENCES public.apps(id) ON DELETE CASCADE;


--
-- Name: signage_coupons fk_signage_coupons_app_id_signage_campaigns; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signage_coupons
    ADD CONSTRAINT fk_signage_coupons_app_id_signage_campaigns FOREIGN KEY (app_id, campaign_id) REFERENCES public.signage_campaigns(app_id, id) ON DELETE CASCADE;


--
-- Name: signage_sessions fk_signage_sessions_app_id_signage_campaigns; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signage_sessions
    ADD CONSTRAINT fk_signage_sessions_app_id_signage_campaigns FOREIGN KEY (app_id, campaign_id) REFERENCES public.signage_campaigns(app_id, id) ON DELETE CASCADE;


--
-- Name: loyalty_member_identifiers loyalty_member_identifiers_member_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_member_identifiers
    ADD CONSTRAINT loyalty_member_identifiers_member_id_fkey FOREIGN KEY (member_id) REFERENCES public.loyalty_members(id) ON DELETE CASCADE;


--
-- Name: loyalty_members loyalty_members_app_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_members
    ADD CONSTRAINT loyalty_members_app_id_fkey FOREIGN KEY (app_id) REFERENCES public.apps(id) ON DELETE CASCADE;


--
-- Name: loyalty_offers loyalty_offers_app_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_offers
    ADD CONSTRAINT loyalty_offers_app_id_fkey FOREIGN KEY (app_id) REFERENCES public.apps(id) ON DELETE CASCADE;


--
-- Name: loyalty_programs loyalty_programs_app_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_programs
    ADD CONSTRAINT loyalty_programs_app_id_fkey FOREIGN KEY (app_id) REFERENCES public.apps(id) ON DELETE CASCADE;


--
-- Name: loyalty_prompts loyalty_prompts_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_prompts
    ADD CONSTRAINT loyalty_prompts_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.loyalty_sessions(id) ON DELETE CASCADE;


--
-- Name: loyalty_prompts loyalty_prompts_trial_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_prompts
    ADD CONSTRAINT loyalty_prompts_trial_id_fkey FOREIGN KEY (trial_id) REFERENCES public.loyalty_trials(id) ON DELETE CASCADE;


--
-- Name: loyalty_sessions loyalty_sessions_app_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_sessions
    ADD CONSTRAINT loyalty_sessions_app_id_fkey FOREIGN KEY (app_id) REFERENCES public.apps(id) ON DELETE CASCADE;


--
-- Name: loyalty_sessions loyalty_sessions_member_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_sessions
    ADD CONSTRAINT loyalty_sessions_member_id_fkey FOREIGN KEY (member_id) REFERENCES public.loyalty_members(id) ON DELETE CASCADE;


--
-- Name: loyalty_transactions loyalty_transactions_member_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_transactions
    ADD CONSTRAINT loyalty_transactions_member_id_fkey FOREIGN KEY (member_id) REFERENCES public.loyalty_members(id) ON DELETE CASCADE;


--
-- Name: loyalty_transactions loyalty_transactions_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_transactions
    ADD CONSTRAINT loyalty_transactions_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.loyalty_sessions(id) ON DELETE CASCADE;


--
-- Name: loyalty_trials loyalty_trials_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loyalty_trials
    ADD CONSTRAINT loyalty_trials_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.loyalty_sessions(id) ON DELETE CASCADE;


--
-- Name: partner_banners partner_banners_app_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_banners
    ADD CONSTRAINT partner_banners_app_id_fkey FOREIGN KEY (app_id) REFERENCES public.apps(id) ON DELETE CASCADE;


--
-- Name: partner_contacts partner_contacts_profile_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_contacts
    ADD CONSTRAINT partner_contacts_profile_id_fkey FOREIGN KEY (profile_id) REFERENCES public.partner_profiles(id) ON DELETE CASCADE;


--
-- Name: partner_links partner_links_app_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_links
    ADD CONSTRAINT partner_links_app_id_fkey FOREIGN KEY (app_id) REFERENCES public.apps(id) ON DELETE CASCADE;


--
-- Name: partner_settings partner_settings_app_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partner_settings
    ADD CONSTRAINT partner_settings_app_id_fkey FOREIGN KEY (app_id) REFERENCES public.apps(id) ON DELETE CASCADE;


--
-- Name: signage_campaigns signage_campaigns_app_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signage_campaigns
    ADD CONSTRAINT signage_campaigns_app_id_fkey FOREIGN KEY (app_id) REFERENCES public.apps(id) ON DELETE CASCADE;


--
-- Name: signage_coupons signage_coupons_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signage_coupons
    ADD CONSTRAINT signage_coupons_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.signage_sessions(id) ON DELETE CASCADE;


--
-- Name: webhooks webhooks_app_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT webhooks_app_id_fkey FOREIGN KEY (app_id) REFERENCES public.apps(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


