//! Profiles: opening one into the tab, saving, renaming and deleting, secrets kept out.

use super::*;

#[test]
fn opening_a_profile_loads_it_into_the_tab_and_connects() {
    let mut s = state();
    s.profile_list = summaries(&["alpha", "beta"]);
    open_picker(&mut s);
    type_text(&mut s, "bet");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::OpenProfile {
            tab: TAB1,
            name: "beta".into(),
            env: None,
        }]
    );
    assert!(picker_of(&s).is_none(), "the picker closes");
    let spec = RequestSpec::get("http://beta/s".parse().unwrap());
    let effects = update(
        &mut s,
        Msg::ProfileOpened {
            tab: TAB1,
            name: "beta".into(),
            spec: Box::new(spec.clone()),
            view: crate::config::ViewSettings {
                search: Some("jq:.n > 1".into()),
                transcript_path: Some("message.content".into()),
                list_column: None,
            },
            schemas: Ok(None),
        },
    );
    assert!(matches!(&effects[..], [Effect::Connect { spec: sent, .. }] if **sent == spec));
    assert_eq!(s.active().title, "beta");
    // The profile's search and Answer path are in force.
    assert!(s.active().search.jq().is_some());
    assert_eq!(
        s.active()
            .insight
            .transcript_path
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some(".message.content"),
        "written back in its full form"
    );
    assert!(!s.active().profile_modified());
    s.active_mut().request.last_event_id = "7".into();
    assert!(s.active().profile_modified(), "a change shows until saved");
}

#[test]
fn saving_renaming_and_deleting_go_through_the_file_and_the_tabs_follow() {
    let mut s = state();
    s.profile_list = summaries(&["alpha"]);
    open_picker(&mut s);
    update(&mut s, ctrl('s'));
    type_text(&mut s, "mine");
    let effects = update(&mut s, key(KeyCode::Enter));
    let [
        Effect::SaveProfile {
            tab: TAB1,
            name,
            spec,
            view,
            overwrite: false,
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        view,
        &crate::config::ViewSettings::default(),
        "no search yet"
    );
    assert_eq!((name.as_str(), spec.url.as_str()), ("mine", "http://h/s"));
    update(
        &mut s,
        Msg::ProfilesChanged {
            list: summaries(&["alpha", "mine"]),
            change: ProfileChange::Saved {
                tab: TAB1,
                name: "mine".into(),
                spec: spec.clone(),
                plain_secrets: Vec::new(),
            },
        },
    );
    assert_eq!(s.active().profile.as_ref().unwrap().name, "mine");
    assert!(picker_of(&s).is_none(), "a save closes the picker");
    assert_eq!(s.profile_list.len(), 2);
    open_picker(&mut s);
    update(
        &mut s,
        Msg::ProfilesChanged {
            list: summaries(&["alpha", "ours"]),
            change: ProfileChange::Renamed {
                from: "mine".into(),
                to: "ours".into(),
            },
        },
    );
    assert_eq!(
        (
            s.active().profile.as_ref().unwrap().name.as_str(),
            s.active().title.as_str()
        ),
        ("ours", "ours")
    );
    update(
        &mut s,
        Msg::ProfilesChanged {
            list: summaries(&["alpha"]),
            change: ProfileChange::Deleted("ours".into()),
        },
    );
    assert!(s.active().profile.is_none());
    assert!(s.notice.as_deref().unwrap().contains("deleted"));
}

#[test]
fn a_saved_profile_holding_a_plain_secret_says_where_it_is() {
    let mut s = state();
    let spec = Box::new(s.active().request.clone());
    update(
        &mut s,
        Msg::ProfilesChanged {
            list: summaries(&["mine"]),
            change: ProfileChange::Saved {
                tab: TAB1,
                name: "mine".into(),
                spec,
                plain_secrets: vec!["headers.X-Api-Key".into()],
            },
        },
    );
    let notice = s.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("saved the request as profile \"mine\""),
        "{notice}"
    );
    assert!(notice.contains("headers.X-Api-Key"), "{notice}");
    assert!(notice.contains("${env:NAME}"), "{notice}");
}

#[test]
fn save_profile_overwrites_the_open_one_or_asks_a_name() {
    let mut s = state();
    update(&mut s, ch('P'));
    let picker = picker_of(&s).expect("a name is asked");
    assert!(matches!(
        picker.mode,
        crate::state::profile_picker::PickerMode::Naming { .. }
    ));
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Esc));
    assert!(picker_of(&s).is_none());
    s.active_mut().profile = Some(crate::state::OpenProfile {
        name: "mine".into(),
        saved: Box::new(s.active().request.clone()),
    });
    let effects = update(&mut s, ch('P'));
    assert!(matches!(
        &effects[..],
        [Effect::SaveProfile { tab: TAB1, name, overwrite: true, .. }] if name == "mine"
    ));
    update(&mut s, ch('o'));
    assert!(picker_of(&s).is_some(), "o opens the picker");
}

#[test]
fn a_request_with_a_redacted_value_is_not_saved_as_a_profile() {
    let mut s = captured();
    s.active_mut().profile = Some(crate::state::OpenProfile {
        name: "mine".into(),
        saved: Box::new(RequestSpec::get("http://h/s".parse().unwrap())),
    });
    assert!(update(&mut s, ch('P')).is_empty());
    assert!(
        s.notice.as_deref().unwrap().contains("not saved"),
        "{:?}",
        s.notice
    );
    assert_eq!(
        s.active().draft.as_ref().unwrap().focus(),
        header_value_slot()
    );
}

#[test]
fn p_saves_the_editors_draft_and_the_tab_shows_modified_as_soon_as_it_differs() {
    let mut s = state();
    s.active_mut().profile = Some(crate::state::OpenProfile {
        name: "mine".into(),
        saved: Box::new(s.active().request.clone()),
    });
    // r, add header X-Trace: abc123, Esc Esc, P: the header is in what is saved.
    update(&mut s, ch('r'));
    assert!(
        !s.active().profile_modified(),
        "an untouched draft is the profile"
    );
    update(&mut s, ch('a'));
    type_text(&mut s, "X-Trace");
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "abc123");
    assert!(
        s.active().profile_modified(),
        "modified while typing, before anything is sent"
    );
    update(&mut s, key_esc());
    update(&mut s, key_esc());
    assert!(!s.active().editor_open);
    assert!(s.active().profile_modified());
    let effects = update(&mut s, ch('P'));
    let [
        Effect::SaveProfile {
            name,
            spec,
            overwrite: true,
            ..
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert_eq!(name, "mine");
    assert!(
        spec.headers.contains(&("X-Trace".into(), "abc123".into())),
        "{:?}",
        spec.headers
    );
    let saved = spec.clone();
    update(
        &mut s,
        Msg::ProfilesChanged {
            list: summaries(&["mine"]),
            change: ProfileChange::Saved {
                tab: TAB1,
                name: "mine".into(),
                spec: saved,
                plain_secrets: Vec::new(),
            },
        },
    );
    assert!(
        !s.active().profile_modified(),
        "saved: the draft is the profile"
    );
    // From inside the editor: P in navigation, Ctrl-S while a field is edited.
    update(&mut s, ch('r'));
    let effects = update(&mut s, ch('P'));
    assert!(
        matches!(&effects[..], [Effect::SaveProfile { .. }]),
        "{effects:?}"
    );
    assert!(s.active().editor_open, "the editor stays open");
    // Up to the URL (g: the method, j: the URL) and into it.
    update(&mut s, ch('g'));
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "/more");
    let effects = update(&mut s, ctrl('s'));
    let [Effect::SaveProfile { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.url.as_str(), "http://h/s/more");
    assert!(
        s.active().draft.as_ref().unwrap().is_editing(),
        "still editing the field"
    );
}

#[test]
fn p_in_the_editor_without_a_profile_asks_a_name_over_it_and_saves_the_draft() {
    let mut s = state();
    update(&mut s, ch('r'));
    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "/drafted");
    update(&mut s, key_esc());
    update(&mut s, ch('P'));
    assert!(picker_of(&s).is_some(), "a name is asked");
    type_text(&mut s, "new");
    let effects = update(&mut s, key(KeyCode::Enter));
    let [
        Effect::SaveProfile {
            name,
            spec,
            overwrite: false,
            ..
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (name.as_str(), spec.url.as_str()),
        ("new", "http://h/s/drafted")
    );
}

#[test]
fn a_profiles_schemas_judge_its_tab_and_one_that_cannot_be_read_is_said() {
    use crate::insight::contract::{SchemaSource, Schemas, Target};
    let mut s = state();
    let source = SchemaSource {
        event_type: None,
        target: Target::Data,
        file: "chunk.json".into(),
        text: r#"{"type":"object"}"#.into(),
    };
    let opened = |schemas| Msg::ProfileOpened {
        tab: TAB1,
        name: "chat".into(),
        spec: Box::new(RequestSpec::get("http://chat/s".parse().unwrap())),
        view: crate::config::ViewSettings::default(),
        schemas,
    };
    let compiled = Schemas::compile(&[source]).unwrap();
    update(&mut s, opened(Ok(Some(compiled.into()))));
    assert!(s.active().contract.schemas().is_some());
    update(&mut s, opened(Err("schema: chunk.json: not found".into())));
    assert!(
        s.active().contract.schemas().is_none(),
        "a broken schema judges nothing"
    );
    let notice = s.notice.as_deref().unwrap_or_default();
    assert!(
        notice.contains("events not validated: schema: chunk.json"),
        "{notice}"
    );
}
