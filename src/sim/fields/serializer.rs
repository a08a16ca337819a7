//! The `fields` filter as a serde serializer adapter: it sits between a body
//! and the JSON writer and drops the keys a [`Selection`] does not keep.

use serde::ser::{self, Error as _, Serialize, Serializer};

use super::Selection;

/// A body serialised through a [`Selection`] (see [`Selection::wrap`]).
pub struct Filtered<'a, T: ?Sized> {
    pub(super) sel: &'a Selection,
    pub(super) value: &'a T,
}

impl<T: Serialize + ?Sized> Serialize for Filtered<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(FilterSer {
            inner: s,
            sel: self.sel,
        })
    }
}

/// A value kept at some level: whole, or filtered by a nested selection.
struct Kept<'a, T: ?Sized> {
    sub: Option<&'a Selection>,
    value: &'a T,
}

impl<T: Serialize + ?Sized> Serialize for Kept<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.sub {
            Some(sel) => Filtered {
                sel,
                value: self.value,
            }
            .serialize(s),
            None => self.value.serialize(s),
        }
    }
}

struct FilterSer<'a, S> {
    inner: S,
    sel: &'a Selection,
}

/// Arrays and tuples: every element is filtered by the same selection.
struct FilterSeq<'a, T> {
    inner: T,
    sel: &'a Selection,
}

/// Structs: fields are kept or dropped by name.
struct FilterStruct<'a, T> {
    inner: T,
    sel: &'a Selection,
}

/// Maps: the key is read as text to decide; a dropped key's value is skipped.
struct FilterMap<'a, T> {
    inner: T,
    sel: &'a Selection,
    key: Option<String>,
}

/// Scalars pass through unchanged.
macro_rules! forward_scalars {
    ($($method:ident($ty:ty)),*) => {$(
        fn $method(self, v: $ty) -> Result<S::Ok, S::Error> {
            self.inner.$method(v)
        }
    )*};
}

impl<'a, S: Serializer> Serializer for FilterSer<'a, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = FilterSeq<'a, S::SerializeSeq>;
    type SerializeTuple = FilterSeq<'a, S::SerializeTuple>;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = FilterMap<'a, S::SerializeMap>;
    type SerializeStruct = FilterStruct<'a, S::SerializeStruct>;
    type SerializeStructVariant = S::SerializeStructVariant;

    forward_scalars!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char)
    );
    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        self.inner.serialize_str(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<S::Ok, S::Error> {
        self.inner.serialize_bytes(v)
    }
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_none()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<S::Ok, S::Error> {
        self.inner.serialize_some(&Filtered {
            sel: self.sel,
            value: v,
        })
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit()
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_struct(name)
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_variant(name, index, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        self.inner.serialize_newtype_struct(
            name,
            &Filtered {
                sel: self.sel,
                value: v,
            },
        )
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        self.inner
            .serialize_newtype_variant(name, index, variant, v)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Ok(FilterSeq {
            inner: self.inner.serialize_seq(len)?,
            sel: self.sel,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        Ok(FilterSeq {
            inner: self.inner.serialize_tuple(len)?,
            sel: self.sel,
        })
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        self.inner.serialize_tuple_struct(name, len)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        self.inner
            .serialize_tuple_variant(name, index, variant, len)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        // The kept count is unknown until the keys are seen.
        Ok(FilterMap {
            inner: self.inner.serialize_map(None)?,
            sel: self.sel,
            key: None,
        })
    }
    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Ok(FilterStruct {
            inner: self.inner.serialize_struct(name, len)?,
            sel: self.sel,
        })
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        self.inner
            .serialize_struct_variant(name, index, variant, len)
    }
    fn collect_str<T: std::fmt::Display + ?Sized>(self, v: &T) -> Result<S::Ok, S::Error> {
        self.inner.collect_str(v)
    }
    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// Arrays and tuples take the same element filter; serde has a trait each.
macro_rules! filter_elements {
    ($($trait:ident),*) => {$(
        impl<T: ser::$trait> ser::$trait for FilterSeq<'_, T> {
            type Ok = T::Ok;
            type Error = T::Error;

            fn serialize_element<V: Serialize + ?Sized>(&mut self, v: &V) -> Result<(), T::Error> {
                self.inner.serialize_element(&Filtered {
                    sel: self.sel,
                    value: v,
                })
            }
            fn end(self) -> Result<T::Ok, T::Error> {
                self.inner.end()
            }
        }
    )*};
}

filter_elements!(SerializeSeq, SerializeTuple);

impl<T: ser::SerializeStruct> ser::SerializeStruct for FilterStruct<'_, T> {
    type Ok = T::Ok;
    type Error = T::Error;

    fn serialize_field<V: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &V,
    ) -> Result<(), T::Error> {
        match self.sel.decide(key) {
            Some(sub) => self.inner.serialize_field(key, &Kept { sub, value: v }),
            None => Ok(()),
        }
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), T::Error> {
        self.inner.skip_field(key)
    }
    fn end(self) -> Result<T::Ok, T::Error> {
        self.inner.end()
    }
}

impl<T: ser::SerializeMap> ser::SerializeMap for FilterMap<'_, T> {
    type Ok = T::Ok;
    type Error = T::Error;

    fn serialize_key<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<(), T::Error> {
        let text = serde_json::to_value(key).map_err(T::Error::custom)?;
        let serde_json::Value::String(name) = text else {
            return Err(T::Error::custom("a map key that is not text"));
        };
        self.key = Some(name);
        Ok(())
    }
    fn serialize_value<V: Serialize + ?Sized>(&mut self, v: &V) -> Result<(), T::Error> {
        let Some(name) = self.key.take() else {
            return Err(T::Error::custom("a map value without a key"));
        };
        match self.sel.decide(&name) {
            Some(sub) => self.inner.serialize_entry(&name, &Kept { sub, value: v }),
            None => Ok(()),
        }
    }
    fn end(self) -> Result<T::Ok, T::Error> {
        self.inner.end()
    }
}
